"""Alliance Playbook: publish alliance playbooks and case studies with MkDocs."""

__version__ = "0.1.0"
