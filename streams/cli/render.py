"""Human-readable one-screen views of Wirestream's records, for ``wirestream consume --pretty``."""

import base64


def pretty(value: object) -> str:
    if not isinstance(value, dict):
        return repr(value)
    if "statements" in value and "entities" in value:
        return _enriched(value)
    if "reason" in value and "original_base64" in value:
        return _dead_letter(value)
    if "statement" in value:
        return _statement(value["statement"], prefix=f"[{value.get('article_id')}] ")
    if "entity_id" in value:
        return f"[{value.get('article_id')}] {value.get('type')}: {value.get('name')} ({value.get('count')} mentions)"
    return str(value)


def _enriched(a: dict) -> str:
    lines = [f"{a['id']}  {a.get('title', '')}"]
    if a.get("flags"):
        lines.append(f"  flags: {', '.join(a['flags'])}")
    by_type: dict[str, list[str]] = {}
    for e in a["entities"]:
        by_type.setdefault(e["type"], []).append(e["name"] + (f" x{e['count']}" if e["count"] > 1 else ""))
    for entity_type in sorted(by_type):
        lines.append(f"  {entity_type:8s} {'; '.join(by_type[entity_type])}")
    for s in a["statements"]:
        lines.append("  " + _statement(s))
    if not a["statements"]:
        lines.append("  (no statements)")
    return "\n".join(lines) + "\n"


def _statement(s: dict, prefix: str = "") -> str:
    speaker = s.get("speaker") or "(unknown)"
    mention = s.get("speaker_mention")
    if mention and mention != speaker:
        speaker += f" [{mention}]"
    content = s["content"] if len(s["content"]) <= 160 else s["content"][:157] + "..."
    return f"{prefix}{s['kind']:12s} {speaker} --{s['cue']}--> {content}"


def _dead_letter(d: dict) -> str:
    original = base64.b64decode(d["original_base64"])[:80]
    return (f"{d['reason']:16s} {d['message']}\n"
            f"{'':16s} from {d.get('source_topic')}[{d.get('source_partition')}]@{d.get('source_offset')}, "
            f"{d['original_size']} bytes: {original!r}")
