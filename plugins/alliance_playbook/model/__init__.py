"""Field types shared by every kind of content (the models are in ``kinds/``)."""
