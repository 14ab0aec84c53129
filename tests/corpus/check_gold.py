#!/usr/bin/env python3
"""Consistency checks for tests/corpus/gold.yaml against the corpus articles.

usage: python3 tests/corpus/check_gold.py [GOLD.yaml]

Checks (any failure => exit status 1):
- the YAML parses and has `articles`, `entities`, `partnerships`;
- every article id is unique, equals its file stem, its file exists (path relative to the
  project root), same_story_as names another article and is symmetric, and its body
  (front matter excluded) has 150-450 words;
- every entity has a valid kind, a unique name, no alias equal to a name, no normalized
  name/alias shared with another entity (normalization as in shared/gold/score.py),
  member_of naming an artist entity, and known articles; its name or one of its aliases
  occurs verbatim (as a whole word) in the body of each of its articles, and every alias
  occurs so in at least one of them (a form found in an article the entity does not list is
  reported as a warning, for review);
- every partnership has a valid kind, at least two participants that name entities, `via`
  null or naming a song/film entity, known articles; its evidence (or evidence_by_article
  for that article) occurs verbatim in each article; evidence_by_article keys are among its
  articles; each participant entity lists each of the partnership's articles.
"""
import re
import sys
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # tests/corpus -> project root
ENTITY_KINDS = {"artist", "film", "label", "song"}
PART_KINDS = {"soundtrack", "casting", "appearance", "musical-collaboration",
              "business-partnership", "endorsement", "other"}


def norm(name: str) -> str:
    # same as shared/gold/score.py
    s = unicodedata.normalize("NFKD", str(name))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^0-9a-z\u3131-\uD79D]+", " ", s)
    return " ".join(s.split())


def body_of(text: str) -> str:
    """Article text without a leading YAML front matter block."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


def occurs(form: str, text: str) -> bool:
    """`form` occurs verbatim in `text`, not inside a longer word ("V" is not in "TV")."""
    pat = r"(?<![0-9A-Za-z])" + re.escape(form) + r"(?![0-9A-Za-z])"
    return re.search(pat, text) is not None


def main(argv):
    gold_path = Path(argv[0]) if argv else HERE / "gold.yaml"
    errors = []
    err = errors.append

    try:
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    except Exception as e:  # noqa: BLE001
        print(f"FAIL: {gold_path} does not parse: {e}")
        return 1
    for key in ("articles", "entities", "partnerships"):
        if not isinstance(gold.get(key), list):
            err(f"top-level `{key}` missing or not a list")
    if errors:
        print("\n".join("FAIL: " + e for e in errors))
        return 1

    # ---- articles
    bodies = {}
    stories = {}
    for a in gold["articles"]:
        aid, f = str(a.get("id")), a.get("file")
        if aid in bodies:
            err(f"article {aid}: duplicate id")
            continue
        path = ROOT / str(f)
        if not path.is_file():
            err(f"article {aid}: file {f} not found under {ROOT}")
            bodies[aid] = ""
            continue
        if path.stem != aid:
            err(f"article {aid}: id differs from file stem {path.stem}")
        body = body_of(path.read_text(encoding="utf-8"))
        bodies[aid] = body
        n = len(body.split())
        if not 150 <= n <= 450:
            err(f"article {aid}: body has {n} words (want 150-450)")
        if a.get("same_story_as") is not None:
            stories[aid] = str(a["same_story_as"])
    for aid, other in stories.items():
        if other not in bodies:
            err(f"article {aid}: same_story_as {other} is not an article")
        elif stories.get(other) != aid:
            err(f"article {aid}: same_story_as {other} is not symmetric")

    # ---- entities
    ents = {}
    norm_owner = {}
    for e in gold["entities"]:
        name = e.get("name")
        if not name:
            err(f"entity without name: {e}")
            continue
        if name in ents:
            err(f"entity {name!r}: listed twice")
        ents[name] = e
        if e.get("kind") not in ENTITY_KINDS:
            err(f"entity {name!r}: bad kind {e.get('kind')!r}")
        aliases = list(e.get("aliases") or [])
        if name in aliases:
            err(f"entity {name!r}: alias equals its name")
        if len(set(aliases)) != len(aliases):
            err(f"entity {name!r}: duplicate alias")
        arts = [str(x) for x in e.get("articles") or []]
        if not arts:
            err(f"entity {name!r}: no articles")
        forms = [name] + aliases
        for form in forms:
            n = norm(form)
            if n in norm_owner and norm_owner[n] != name:
                err(f"entity {name!r}: form {form!r} normalizes like a form of {norm_owner[n]!r}")
            norm_owner.setdefault(n, name)
        for aid in arts:
            if aid not in bodies:
                err(f"entity {name!r}: unknown article {aid}")
                continue
            if not any(occurs(form, bodies[aid]) for form in forms):
                err(f"entity {name!r}: no name or alias occurs in article {aid}")
        for al in aliases:
            if not any(occurs(al, bodies.get(aid, "")) for aid in arts):
                err(f"entity {name!r}: alias {al!r} occurs in none of its articles")
    for name, e in ents.items():
        grp = e.get("member_of")
        if grp is not None:
            if grp not in ents:
                err(f"entity {name!r}: member_of {grp!r} is not an entity")
            elif ents[grp].get("kind") != "artist" or e.get("kind") != "artist":
                err(f"entity {name!r}: member_of must link two artists")

    # ---- warnings: a name or alias found in an article the entity does not list
    # (a match inside a longer form of an entity listed for that article, such as "JTBC" in
    # "JTBC Studios" or "Han" in "Han So-hee", is not reported)
    warnings = []
    spans = {aid: [] for aid in bodies}
    for e in ents.values():
        for aid in [str(x) for x in e.get("articles") or []]:
            for form in [e["name"]] + list(e.get("aliases") or []):
                for m in re.finditer(re.escape(form), bodies.get(aid, "")):
                    spans[aid].append(m.span())
    for name, e in ents.items():
        arts = {str(x) for x in e.get("articles") or []}
        forms = [name] + list(e.get("aliases") or [])
        for aid, body in bodies.items():
            if aid in arts:
                continue
            for form in forms:
                pat = r"(?<![0-9A-Za-z])" + re.escape(form) + r"(?![0-9A-Za-z])"
                hits = [m.span() for m in re.finditer(pat, body)
                        if not any(a <= m.start() and m.end() <= b and b - a > len(form)
                                   for a, b in spans[aid])]
                if hits:
                    warnings.append(f"entity {name!r}: {form!r} also occurs in unlisted article {aid}")
                    break

    # ---- partnerships
    for i, p in enumerate(gold["partnerships"]):
        parts = p.get("participants") or []
        tag = f"partnership #{i + 1} {parts}"
        if p.get("kind") not in PART_KINDS:
            err(f"{tag}: bad kind {p.get('kind')!r}")
        if len(parts) < 2 or len(set(parts)) != len(parts):
            err(f"{tag}: needs two or more distinct participants")
        for n in parts:
            if n not in ents:
                err(f"{tag}: participant {n!r} is not an entity name")
        via = p.get("via")
        if via is not None:
            if via not in ents:
                err(f"{tag}: via {via!r} is not an entity name")
            elif ents[via].get("kind") not in ("song", "film"):
                err(f"{tag}: via {via!r} is a {ents[via].get('kind')}, not a song or film")
            if via in parts:
                err(f"{tag}: via {via!r} is also a participant")
        arts = [str(x) for x in p.get("articles") or []]
        if not arts:
            err(f"{tag}: no articles")
        by_art = {str(k): v for k, v in (p.get("evidence_by_article") or {}).items()}
        for k in by_art:
            if k not in arts:
                err(f"{tag}: evidence_by_article key {k} not in its articles")
        if not p.get("evidence"):
            err(f"{tag}: no evidence")
        for aid in arts:
            if aid not in bodies:
                err(f"{tag}: unknown article {aid}")
                continue
            ev = by_art.get(aid, p.get("evidence") or "")
            if ev not in bodies[aid]:
                err(f"{tag}: evidence not verbatim in {aid}: {ev[:80]!r}")
            for n in parts:
                if n in ents and aid not in [str(x) for x in ents[n].get("articles") or []]:
                    err(f"{tag}: participant {n!r} does not list article {aid}")

    for w in warnings:
        print("warning: " + w)
    if errors:
        print("\n".join("FAIL: " + e for e in errors))
        print(f"{len(errors)} problem(s)")
        return 1
    print(f"OK: {len(gold['articles'])} articles, {len(gold['entities'])} entities, "
          f"{len(gold['partnerships'])} partnerships")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
