"""``wirestream top`` and ``wirestream who``: tables printed from a worker's query API.

Any worker of the group answers for all of it, so the CLI asks one: by default the one the
settings name (``WIRESTREAM_WEB_HOST``:``WIRESTREAM_WEB_PORT``), with the bearer token when set.
"""

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from streams.settings import Settings

TIMEOUT_S = 30


def add_commands(sub) -> None:
    p = sub.add_parser("top", help="top speakers or entities of a window, from a worker's API")
    p.add_argument("kind", choices=["speakers", "entities"])
    p.add_argument("--window", choices=["1h", "1d"], default="1d")
    p.add_argument("--limit", type=int, default=10, help="rows (1 to 1000)")
    _common(p)
    p.set_defaults(run=cmd_top)

    p = sub.add_parser("who", help="one speaker: counts, outlets, who they talk about, latest statements")
    p.add_argument("speaker")
    p.add_argument("--type", help="entity type of the speaker (PERSON, NOMINAL, ORG, ...); default: tried in turn")
    p.add_argument("--window", choices=["1h", "1d"], default="1d")
    _common(p)
    p.set_defaults(run=cmd_who)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", help="the worker's web address (default: from WIRESTREAM_WEB_HOST and _PORT)")
    p.add_argument("--json", action="store_true", help="print the API's JSON instead of a table")


def get(settings: Settings, base: str | None, path: str, params: dict) -> dict:
    from streams.web.auth import TokenCheck

    url = (base or f"http://{settings.web_host}:{settings.web_port}").rstrip("/") + path
    url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    request = urllib.request.Request(url, headers=TokenCheck(settings.api_token).headers())
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        raise ApiError(f"{exc.code} from {url.split('?')[0]}: {body}") from None
    except OSError as exc:
        raise ApiError(f"no answer from {url.split('?')[0]}: {exc}") from None


class ApiError(Exception):
    pass


def table(headers: list[str], rows: list[list[object]], numeric: set[int]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if i in numeric else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths)))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]).rstrip()


def cmd_top(args: argparse.Namespace, settings: Settings) -> int:
    return _run(args, lambda: _top(args, settings))


def _top(args: argparse.Namespace, settings: Settings) -> str:
    body = get(settings, args.url, f"/api/top/{args.kind}", {"window": args.window, "limit": args.limit})
    if args.json:
        return json.dumps(body, indent=2, ensure_ascii=False)
    measure = "statements" if args.kind == "speakers" else "mentions"
    rows = [[n, i["name"] + (" (ambiguous)" if i["ambiguous"] else ""), i["type"], i["count"], i["articles"]]
            for n, i in enumerate(body["items"], 1)]
    head = f"top {args.kind}, window {body['window']} from {body['start']} ({len(body['workers'])} worker(s))"
    return head + "\n" + table(["#", "name", "type", measure, "articles"], rows, {0, 3, 4})


def cmd_who(args: argparse.Namespace, settings: Settings) -> int:
    return _run(args, lambda: _who(args, settings))


def _who(args: argparse.Namespace, settings: Settings) -> str:
    body = get(settings, args.url, "/api/speaker", {"name": args.speaker, "type": args.type, "window": args.window})
    if args.json:
        return json.dumps(body, indent=2, ensure_ascii=False)
    i = body["identity"]
    out = [f"{i['name']} ({i['type']}): {i['statements']} statements, {i['mentions']} mentions, "
           f"{i['articles']} articles, window {body['window']} from {body['start']}",
           table(["form", "statements", "mentions", "articles"],
                 [[f["name"], f["statements"], f["mentions"], f["articles"]] for f in i["forms"]], {1, 2, 3}),
           "", table(["outlet", "articles"], [[o["name"], o["count"]] for o in body["outlets"]], {1}),
           "", table(["talks about", "statements"], [[a["name"], a["count"]] for a in body["about"]], {1}),
           "", table(["received", "cue", "content"],
                     [[s["received_at"][:19], s["cue"], _short(s["content"])] for s in body["latest"]], set())]
    return "\n".join(out)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _run(args: argparse.Namespace, render) -> int:
    try:
        print(render())
    except ApiError as exc:
        print(f"wirestream {args.command}: {exc}", file=sys.stderr)
        return 1
    return 0
