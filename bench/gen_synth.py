"""One synthetic story, written twice: as a format-1 scenario and as ink.

    python -m bench.gen_synth N SEED [-o DIR]

writes DIR/synth-N.yaml and DIR/synth-N.ink (DIR defaults to bench/stories).
The ink source is compiled to DIR/synth-N.ink.json by `bench/ink/compile.sh`
(inkjs-compiler, pinned in bench/ink/package.json).

The story: N nodes n0..n{N-1}, start n0, three endings. Each node may move a
gauge on entry, shows a French text with `{name}` interpolation, and offers
three choices: two always shown, one shown only when 1-2 comparisons hold.
Choices add to gauges (clamped to [0, 100]) and integer variables, or set a
variable. Edges only go forward (i -> i+1..i+8), and some choices exit to an
ending, so every playthrough ends.

Both worlds must play *identically*; the ink side therefore spells out what
the engine does implicitly:
- gauge clamping: `~ g = MAX(lo, MIN(hi, g + d))` after each change;
- sticky choices `+` (ink's `*` vanish once taken) with text in `[...]`, so
  choosing prints nothing, just like the engine;
- ink's special characters in texts are escaped (see `ink_text`);
- no outcomes, triggers or disabled choices: ink has no seeded draw (its
  RANDOM is not the engine's) and lists only available choices.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

GAUGES = {  # name: (start, min, max, good, label)
    "relation": (50, 0, 100, "high", "Qualité de la relation"),
    "exclusion": (20, 0, 100, "low", "Exclusion"),
    "workload": (40, 0, 100, "low", "Charge de travail"),
}
VARIABLES = {"relances": 0, "appels": 0, "confiance": 10, "score": 0}
ENDINGS = {  # id: (tone, title, text)
    "fin_lien": ("positive", "Un lien préservé", "Fin : le lien est préservé, le cadre posé. Relation {relation}, score {score}."),
    "fin_mitige": ("mixed", "Un entre-deux", "Fin : un entre-deux fragile… Exclusion {exclusion}, relances {relances}."),
    "fin_rupture": ("negative", "La rupture", "Fin : « on ne m’écoute pas » — la rupture. Charge {workload}, appels {appels}."),
}

PHRASES = [
    "L’éducatrice relit le SMS.",
    "Le foyer est calme ; la cheffe hésite.",
    "23 h 12 : « t dispo ? »",
    "Le dossier n° 42 est partagé.",
    "Mme Dupré s’inquiète.",
    "L’algorithme dit 87 % !",
    "Le cœur du problème : qui décide ?",
    "Le psychologue n’est pas d’accord.",
    "Le téléphone vibre encore…",
    "Noël approche, effectif réduit.",
]
ACTIONS = [
    "Répondre", "Appeler l’astreinte", "Noter au cahier", "Proposer un rendez-vous", "Orienter",
    "Attendre demain", "Écrire à l’équipe", "Vérifier le dossier", "Rappeler « pas la nuit »",
    "Voir la famille", "Refuser poliment", "Reformuler",
]


def generate(n: int, seed: int) -> dict:
    """The story as plain data (the scenario's YAML content)."""
    rng = random.Random(seed)
    gnames, vnames = list(GAUGES), list(VARIABLES)
    endings = list(ENDINGS)

    def target(i: int) -> str:
        j = i + rng.randint(1, 8)
        if j >= n or rng.random() < 0.03:
            return rng.choice(endings)
        return f"n{j}"

    def adds(k: int) -> dict:
        out: dict[str, int] = {}
        for name in rng.sample(gnames + vnames, k):
            d = rng.choice([-1, 1]) * rng.randint(1, 12 if name in GAUGES else 3)
            out[name] = d
        return out

    def comparison() -> str:
        name = rng.choice(gnames + vnames)
        op = rng.choice(["<", "<=", ">", ">=", "!="])
        if name in GAUGES:
            k = rng.randint(10, 90)
        else:
            k = rng.randint(0, 4) if name != "confiance" else rng.randint(5, 20)
        return f"{name} {op} {k}"

    nodes: dict[str, dict] = {}
    for i in range(n):
        node: dict = {}
        if rng.random() < 0.5:
            node["effects"] = adds(1)
        phrase = rng.choice(PHRASES)
        a, b = rng.sample(gnames + vnames, 2)
        node["text"] = f"Nœud {i} : {phrase} {a.capitalize()} {{{a}}}, {b} {{{b}}}."
        texts = rng.sample(ACTIONS, 3)
        first = {"text": texts[0], "effects": adds(rng.randint(1, 2)), "goto": target(i)}
        second: dict = {"text": texts[1]}
        if rng.random() < 0.5:
            second["set"] = {rng.choice(vnames): rng.randint(0, 5)}
        else:
            second["effects"] = adds(1)
        second["goto"] = target(i)
        cond = comparison() if rng.random() < 0.5 else f"{comparison()} and {comparison()}"
        third = {"text": texts[2] + " ({relances})", "if": cond, "effects": adds(1), "goto": target(i)}
        node["choices"] = [first, second, third]
        nodes[f"n{i}"] = node

    return {
        "format": 1,
        "id": f"synth-{n}",
        "language": "fr",
        "title": f"Histoire synthétique ({n} nœuds)",
        "summary": "Banc d’essai : la même histoire qu’en ink, générée.",
        "gauges": {g: {"label": lab, "start": s, "min": lo, "max": hi, "good": good}
                   for g, (s, lo, hi, good, lab) in GAUGES.items()},
        "variables": dict(VARIABLES),
        "start": "n0",
        "nodes": nodes,
        "endings": {e: {"title": title, "text": text, "tone": tone} for e, (tone, title, text) in ENDINGS.items()},
    }


# --------------------------------------------------------------------------
# ink

_INK_SPECIAL = set("\\[]{}|#~*+-<>=/")


def ink_text(s: str) -> str:
    """A text line as ink source: `{name}` stays interpolation, the rest is escaped."""
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "{":
            j = s.index("}", i)
            out.append(s[i:j + 1])  # `{name}`: the same interpolation in ink
            i = j + 1
            continue
        out.append("\\" + ch if ch in _INK_SPECIAL else ch)
        i += 1
    return "".join(out)


def _ink_effects(data: dict, lines: list[str], indent: str) -> None:
    for name, d in (data.get("effects") or {}).items():
        expr = f"{name} + {d}" if d >= 0 else f"{name} - {-d}"
        if name in GAUGES:
            _, lo, hi, _, _ = GAUGES[name]
            expr = f"MAX({lo}, MIN({hi}, {expr}))"
        lines.append(f"{indent}~ {name} = {expr}")
    for name, v in (data.get("set") or {}).items():
        if name in GAUGES:
            _, lo, hi, _, _ = GAUGES[name]
            lines.append(f"{indent}~ {name} = MAX({lo}, MIN({hi}, {v}))")
        else:
            lines.append(f"{indent}~ {name} = {v}")


def to_ink(data: dict) -> str:
    lines = [f"// {data['title']}: generated by bench/gen_synth.py; the twin of {data['id']}.yaml", ""]
    for g, spec in data["gauges"].items():
        lines.append(f"VAR {g} = {spec['start']}")
    for v, value in data["variables"].items():
        lines.append(f"VAR {v} = {value}")
    lines += ["", f"-> {data['start']}", ""]
    for nid, node in data["nodes"].items():
        lines.append(f"=== {nid} ===")
        _ink_effects(node, lines, "")
        lines.append(ink_text(node["text"]))
        for ch in node["choices"]:
            cond = f"{{{ch['if']}}} " if "if" in ch else ""
            lines.append(f"+ {cond}[{ink_text(ch['text'])}]")
            _ink_effects(ch, lines, "    ")
            lines.append(f"    -> {ch['goto']}")
        lines.append("")
    for eid, end in data["endings"].items():
        lines += [f"=== {eid} ===", ink_text(end["text"]), "-> END", ""]
    return "\n".join(lines)


def to_yaml(data: dict) -> str:
    head = (f"# {data['title']}: generated by bench/gen_synth.py; the twin of {data['id']}.ink\n"
            "# yaml-language-server: $schema=../../schema/scenario.schema.json\n")
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", "--out", default=str(Path(__file__).parent / "stories"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = generate(args.n, args.seed)
    (out / f"synth-{args.n}.yaml").write_text(to_yaml(data), encoding="utf-8")
    (out / f"synth-{args.n}.ink").write_text(to_ink(data), encoding="utf-8")
    print(f"wrote {out}/synth-{args.n}.yaml and .ink", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
