"""Time hostile Markdown fields, the way the build converts them.

Each input is converted in a fresh process (so a RecursionError or a hang in
one cannot spoil the next), standalone (markup/markdown.py), in the MkDocs page
pass (the site's mkdocs.yml, through MkDocs' Page) and with a fork's usual
extra extensions, and checked by ``shape_problems``. Prints one row each:
CPU seconds per converter (">N": stopped after N seconds), then whether the
check refuses the input. These are the measurements behind model/markdown_limits.py.

Usage: python benchmarks/markdown_fields.py [--size 20000] [--limit 10] [NAME-PART ...]
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rep(unit: str, n: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


def per_line(make, n: int) -> str:
    out, total, i = [], 0, 0
    while total + len(make(i)) + 1 <= n:
        out.append(make(i))
        total += len(out[-1]) + 1
        i += 1
    return "\n".join(out)


INPUTS = {
    "[ repeated": lambda n: rep("[", n),
    "[a][ repeated": lambda n: rep("[a][", n),
    "[a]( repeated": lambda n: rep("[a](", n),
    "[a]( and then (((": lambda n: rep("(", n, head="[a]("),
    "![ repeated": lambda n: rep("![", n),
    "[^ repeated": lambda n: rep("[^", n),
    "[[ repeated": lambda n: rep("[[", n),
    "[[a: repeated": lambda n: rep("[[a:", n),
    "[[a: and 1,000 spaces": lambda n: "[[a:" + " " * 1000,
    "*a repeated": lambda n: rep("*a ", n),
    "**a repeated": lambda n: rep("**a ", n),
    "_a repeated": lambda n: rep(" _a", n),
    "~~a repeated": lambda n: rep("~~a ", n),
    "~~~.a repeated": lambda n: rep("~~~.a ", n),
    "==a repeated": lambda n: rep("==a ", n),
    "* run": lambda n: rep("*", n, head="a "),
    "` run": lambda n: rep("`", n, head="a "),
    "backtick runs of every length": lambda n: "".join("`" * i + " " for i in range(1, int((2 * n) ** 0.5))),
    "- on one line (lists)": lambda n: rep("- ", n, tail="a"),
    "> on one line (quotes)": lambda n: rep(">", n, tail=" a"),
    "lists by indentation": lambda n: per_line(lambda i: "    " * i + "- a", n),
    "admonitions by indentation": lambda n: per_line(lambda i: "    " * i + "!!! note", n),
    "<div markdown> nested": lambda n: rep('<div markdown="1">\n\n', n // 2) + rep("</div>\n\n", n // 2),
    "definitions without blank lines": lambda n: rep("a\n:   b\n", n),
    "<a  repeated (never ends)": lambda n: rep("<a ", n),
    "<a@b  repeated": lambda n: rep("<a@b ", n),
    "<http:// repeated": lambda n: rep("<http://", n),
    "<!-- repeated": lambda n: rep("<!--", n),
    "<![CDATA[ repeated": lambda n: rep("<![CDATA[", n),
    "<div> nested": lambda n: rep("<div>", n),
    "& repeated": lambda n: rep("&", n),
    "&#1 repeated": lambda n: rep("&#1", n),
    "one long line": lambda n: "a" * n,
    "reference definitions": lambda n: per_line(lambda i: f"[r{i}]: http://e.org/{i}", n),
    "table with 5,000 columns": lambda n: (lambda k: "|".join("a" * k) + "\n" + "|".join("-" * k) + "\n")(n // 4),
    "`| on a table row": lambda n: "a|b\n-|-\n" + rep("`|", n - 8),
    "# h and ' {' repeated": lambda n: rep(" {", n, head="# h"),
    "{: repeated": lambda n: rep("{: ", n, head="a\n"),
    "# a on every line": lambda n: rep("# a\n", n),
    "# on every line": lambda n: rep("#\n", n),
    "``` on every line": lambda n: rep("```\n", n),
    "[^1] repeated (footnotes)": lambda n: rep("[^1]", n, tail="\n\n[^1]: x\n"),
    "1,000 abbreviations and text": lambda n: per_line(lambda i: f"*[A{i}]: x", n // 2) + "\n\n" + rep("A1 word ", n // 2),
    "a long reference used often": lambda n: "[r]: http://e.org/" + "x" * (n // 2) + "\n\n" + rep("[a][r] ", n // 2),
    "[TOC] repeated": lambda n: "# a\n\n" + rep("[TOC]\n\n", n),
}


def _converters():
    # The same conversions the tests of model/markdown_limits.py time.
    sys.path.insert(0, str(ROOT / "tests"))
    from markdown_pipelines import CONVERTERS

    return CONVERTERS


def measure_one(name: str, size: int, limit: int) -> dict:
    import logging

    from alliance_playbook.model.markdown_limits import shape_problems

    logging.disable(logging.WARNING)  # MkDocs warns about every unknown link
    text = INPUTS[name](size)[:size]
    row: dict = {"input": name, "chars": len(text)}

    def alarm(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for label, convert in _converters().items():
        start = time.process_time()  # CPU time: other work on the machine does not count
        signal.alarm(limit)  # wall clock; the regex engine and Python code both see the signal
        try:
            convert(text)
            row[label] = f"{time.process_time() - start:.2f}"
        except TimeoutError:
            row[label] = f">{limit}"
        except RecursionError:
            row[label] = "RecursionError"
        finally:
            signal.alarm(0)
    problems = shape_problems(text)
    row["check"] = "refused: " + problems[0][:70] if problems else "accepted"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="characters per input (default 20000)")
    parser.add_argument("--limit", type=int, default=10, help="seconds per conversion before giving up (default 10)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("names", nargs="*", help="only the inputs whose name contains one of these")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.size, args.limit)))
        return
    print(f"{'input':34} {'chars':>6} {'standalone':>14} {'site':>14} {'fork':>14}  check")
    for name in INPUTS:
        if args.names and not any(part in name for part in args.names):
            continue
        command = [sys.executable, __file__, "--one", name, "--size", str(args.size), "--limit", str(args.limit)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=4 * args.limit + 60)
            row = json.loads(done.stdout) if done.returncode == 0 else {"input": name, "check": done.stderr[-200:]}
        except subprocess.TimeoutExpired:
            row = {"input": name, "check": "the process did not finish"}
        print(
            f"{row['input']:34} {row.get('chars', ''):>6} {row.get('standalone', '?'):>14} {row.get('site', '?'):>14} "
            f"{row.get('fork', '?'):>14}  {row['check']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
