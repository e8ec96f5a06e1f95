"""The JSON Schema of format 1, generated from the engine's models.

Pydantic writes the shapes; this module adds what an editor needs to help a
trainer: a description on every field (French, then English, shown on
hover), the id patterns of map keys, and the default gauges, which may be
listed with only the fields that change (`relation: {start: 60}`).
`schema/scenario.schema.json` is this output, byte for byte (a test keeps it
so); `pandore schema -o FILE` writes it.
"""

from __future__ import annotations

import copy
import json

from game.engine.model import DEFAULT_GAUGE_LABELS, DEFAULT_GAUGES, NAME_ID, Scenario

SCHEMA_ID = "https://pandore.invalid/schema/scenario.schema.json"

_EFFECTS = ("Effets : les nombres s'ajoutent aux jauges et variables entières, true/false donnent leur valeur "
            "aux variables vrai/faux ; les jauges restent dans [min, max]. — Effects: numbers add to gauges and "
            "int variables, true/false set boolean variables; gauges stay within [min, max].")
_SET = ("Affectations, appliquées après les effets : {nom: valeur}. — Assignments, applied after the effects.")
_COND = ("une expression : nombres, noms de jauges et de variables, + - *, comparaisons, and/or/not, parenthèses. "
         "— an expression: numbers, gauge and variable names, + - *, comparisons, and/or/not, parentheses.")
_TEXT = ("Texte montré au joueur ; {nom} y affiche une jauge ou une variable. Peut être une liste de variantes "
         "{if, text} : la première dont le if est vrai est montrée. — Text shown to the player; {name} shows a "
         "gauge or variable. May be a list of {if, text} variants: the first whose if holds is shown.")
_GOTO = "Id du nœud ou de la fin suivante. — Id of the next node or ending."

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Scenario": {
        "format": "Version du format : toujours 1. — Format version: always 1.",
        "id": "Identifiant du scénario, le nom de son dossier : [a-z0-9-]+, le même dans toutes les langues. "
              "— Scenario id, its folder's name; the same in every language.",
        "language": "Langue de ce fichier : fr, en... — Language of this file.",
        "title": "Titre montré dans la liste des scénarios. — Title shown in the scenario list.",
        "summary": "Une ou deux phrases montrées avant de jouer. — One or two sentences shown before play.",
        "audience": "Publics visés, étiquettes libres (ES, ASS, ME...). — Intended audiences, free tags.",
        "duration_minutes": "Durée approximative d'une partie, en minutes. — Approximate length of a playthrough.",
        "objectives": "Objectifs pédagogiques, montrés avant la partie et au débriefing. — Learning objectives.",
        "content_warning": "Avertissement montré avant de commencer (facultatif). — Warning shown before play.",
        "gauges": "Les jauges ; omises : relation, exclusion et workload. — The gauges; omitted: the three defaults.",
        "variables": "Variables vrai/faux ou entières et leur valeur de départ. — Boolean or int variables and their "
                     "start values.",
        "triggers": "Vérifiés dans l'ordre après chaque choix ; le premier dont le if est vrai s'applique. — Checked "
                    "in order after every choice; the first whose if holds applies.",
        "start": "Id du premier nœud. — Id of the first node.",
        "nodes": "Les moments de l'histoire où le joueur choisit, par id. — The moments where the player chooses.",
        "endings": "Les fins, par id (même espace de noms que les nœuds). — The endings, by id.",
        "debrief": "Points clés et sources, montrés à la fin. — Key points and sources, shown at the end.",
    },
    "Gauge": {
        "label": "Nom montré au joueur. — Name shown to the player.",
        "start": "Valeur au début, dans [min, max]. — Value at the start, within [min, max].",
        "min": "Plus petite valeur (0 par défaut). — Lowest value (default 0).",
        "max": "Plus grande valeur (100 par défaut). — Highest value (default 100).",
        "good": "Quel sens est le meilleur pour les personnes accompagnées : high ou low. — Which way is better "
                "for the people served.",
        "description": "Une phrase sur ce que mesure la jauge. — One sentence on what the gauge stands for.",
    },
    "Trigger": {
        "id": "Nom du déclencheur (par défaut trigger.N). — Trigger name (default trigger.N).",
        "if": "Condition, " + _COND,
        "effects": _EFFECTS,
        "set": _SET,
        "goto": "Où le jeu part quand il se déclenche (sinon, là où il allait). — Where play goes when it fires "
                "(otherwise where it was going).",
        "once": "true : se déclenche une seule fois par partie. — true: fires at most once per playthrough.",
    },
    "Node": {
        "view": "Vue utilisée : narrative (défaut), sms, dashboard, visio. — View used for the node.",
        "image": "Illustration, chemin relatif au dossier du scénario (media/...). — Illustration, relative path.",
        "title": "Titre court du nœud (facultatif). — Short title of the node.",
        "messages": "Vue sms : le fil de messages montré avant les choix. — sms view: the message thread.",
        "panel": "Vue dashboard : la fiche résultat d'un algorithme. — dashboard view: an algorithm's result card.",
        "participants": "Vue visio : les vignettes de l'appel vidéo. — visio view: the video call's tiles.",
        "text": _TEXT,
        "effects": "En entrant dans le nœud. " + _EFFECTS,
        "set": _SET,
        "choices": "Les choix proposés, dans l'ordre. — The choices offered, in order.",
    },
    "Choice": {
        "id": "Identifiant stable du choix (par défaut nœud.N). — Stable id (default node.N).",
        "text": "Libellé du bouton ; {nom} possible. — The button's label.",
        "if": "Condition de visibilité : fausse, le choix est caché ; " + _COND,
        "available_if": "Condition de disponibilité : fausse, le choix est grisé avec l'indice ; " + _COND,
        "unavailable_hint": "Pourquoi le choix est grisé. — Why the choice is disabled.",
        "effects": _EFFECTS,
        "set": _SET,
        "feedback": "Retour montré après le choix : ce qu'il a produit, sans leçon de morale. — Feedback shown "
                    "after the choice.",
        "reply": "Vue sms : le message que le joueur envoie avec ce choix. — sms view: the message sent.",
        "goto": _GOTO + " (ou bien outcomes — or outcomes)",
        "outcomes": "Tirage au sort pondéré entre plusieurs suites (ou bien goto). — Weighted random branches.",
    },
    "Outcome": {
        "weight": "Poids relatif, > 0 (2 et 1 : deux chances sur trois, puis une). — Relative weight, > 0.",
        "effects": _EFFECTS,
        "set": _SET,
        "feedback": "Retour montré après celui du choix quand cette suite est tirée. — Feedback for this branch.",
        "goto": _GOTO,
    },
    "TextVariant": {
        "if": "Condition de la variante (sans if : toujours vraie). — The variant's condition.",
        "text": "Le texte de la variante. — The variant's text.",
    },
    "Ending": {
        "title": "Titre de la fin. — The ending's title.",
        "text": _TEXT,
        "tone": "positive | mixed | negative : une couleur, jamais une note. — A colour, never a score.",
        "image": "Illustration (facultative). — Illustration.",
    },
    "Debrief": {
        "key_points": "Les points clés du débriefing. — Key points of the debrief.",
        "questions": "Des questions à discuter en classe après la partie (facultatif). — Questions for the class to discuss.",
        "sources": "Les sources (textes de loi, avis, rapports). — Sources.",
    },
    "Message": {
        "from": "Qui écrit. — Who writes.",
        "at": "Heure affichée, entre guillemets : \"23:12\". — Time shown, quoted.",
        "text": "Le message ; {nom} possible. — The message.",
        "sent": "true : message envoyé plus tôt par le joueur (bulle à droite). — Sent earlier by the player.",
    },
    "Panel": {
        "title": "Titre de la fiche. — Card title.",
        "subject": "La personne concernée. — Whom it is about.",
        "score": "Score entier. — Integer score.",
        "score_max": "Score maximal (100 par défaut). — Maximum score.",
        "criteria": "Critères {label, value}. — Criteria.",
        "recommendation": "La recommandation de l'algorithme. — The algorithm's recommendation.",
        "confidence": "Confiance affichée, en % (0-100). — Confidence shown, in %.",
    },
    "Criterion": {"label": "Nom du critère. — Criterion.", "value": "Valeur, en texte. — Value, as text."},
    "Participant": {
        "name": "Nom affiché. — Name shown.",
        "role": "Rôle (facultatif). — Role.",
        "connection": "good (défaut) | unstable | lost.",
        "camera": "false : la vignette montre les initiales. — false: the tile shows initials.",
    },
}

_ID_KEYS = {"propertyNames": {"pattern": NAME_ID}}


def scenario_schema() -> dict:
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    defs = schema.get("$defs", {})
    for name, fields in DESCRIPTIONS.items():
        target = schema if name == "Scenario" else defs.get(name)
        if target is None:
            continue
        for field, text in fields.items():
            prop = target.get("properties", {}).get(field)
            if prop is not None:
                prop["description"] = text
    props = schema["properties"]
    for key in ("nodes", "endings", "variables"):
        props[key].update(copy.deepcopy(_ID_KEYS))
    # Effects and assignments: keys are names of gauges or variables.
    for d in [schema, *defs.values()]:
        for key in ("effects", "set"):
            if key in d.get("properties", {}):
                d["properties"][key].update(copy.deepcopy(_ID_KEYS))
    # The default gauges may be given with only the fields that change.
    if "Gauge" in defs:
        partial = copy.deepcopy(defs["Gauge"])
        partial.pop("required", None)
        partial["title"] = "DefaultGauge"
        partial["description"] = ("Une des trois jauges par défaut : ne donnez que ce qui change. — One of the "
                                  "three default gauges: give only what changes.")
        defs["DefaultGauge"] = partial
        props["gauges"]["properties"] = {g: {"$ref": "#/$defs/DefaultGauge"} for g in DEFAULT_GAUGES}
        props["gauges"].update(copy.deepcopy(_ID_KEYS))
    if "Outcome" in defs:
        defs["Outcome"]["properties"]["weight"]["exclusiveMinimum"] = 0
    _tidy(schema)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    schema["title"] = "Pandore scenario (format 1)"
    schema["description"] = ("Un scénario dans une langue. Guide : docs/authoring.fr.md — One scenario in one "
                             "language. Guide: docs/authoring.en.md")
    return schema


def _tidy(node) -> None:
    """What editors show badly, removed in place: a property's title (pydantic's "Goto" beside the
    description, doubled to "Goto || Goto" on hover by the `anyOf` with null), the `anyOf [X, null]`
    of an optional field (an omitted field is the same; completion then inserts no `null`) and the
    `default: null` that completion would insert."""
    if isinstance(node, list):
        for x in node:
            _tidy(x)
        return
    if not isinstance(node, dict):
        return
    props = node.get("properties")
    if isinstance(props, dict):
        for prop in props.values():
            if not isinstance(prop, dict):
                continue
            prop.pop("title", None)
            alts = prop.get("anyOf")
            if isinstance(alts, list) and {"type": "null"} in alts:
                rest = [a for a in alts if a != {"type": "null"}]
                del prop["anyOf"]
                if len(rest) == 1:
                    for k, v in rest[0].items():
                        prop.setdefault(k, v)
                else:
                    prop["anyOf"] = rest
            if "default" in prop and prop["default"] is None:
                del prop["default"]
    for v in node.values():
        _tidy(v)


def schema_text(schema: dict | None = None) -> str:
    """The schema as written to schema/scenario.schema.json (UTF-8, LF, final newline)."""
    return json.dumps(scenario_schema() if schema is None else schema, ensure_ascii=False, indent=2,
                      sort_keys=False) + "\n"


def _words(text, width: int = 60) -> str:
    if isinstance(text, list):
        text = next((v.get("text") for v in text if isinstance(v, dict) and isinstance(v.get("text"), str)), "")
    text = " ".join(str(text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _enum(names: dict[str, str], description: str) -> dict:
    return {"type": "string", "enum": list(names), "enumDescriptions": list(names.values()),
            "markdownEnumDescriptions": list(names.values()), "description": description}


def schema_for(data) -> dict:
    """The schema of one scenario: the format's schema, with the names this scenario declares enumerated.

    `data` is the scenario file read as plain data (it may hold errors: only what is readable is
    used). Every `goto` and `start` lists the node and ending ids (described by their title or first
    words), the keys of `effects` and `set` the gauges and variables: an editor then underlines a goto
    to an unknown node or an effect on an unknown gauge as it is typed, and completes the names.
    """
    schema = scenario_schema()
    data = data if isinstance(data, dict) else {}
    targets: dict[str, str] = {}
    for key in ("nodes", "endings"):
        items = data.get(key)
        if isinstance(items, dict):
            for nid, item in items.items():
                if isinstance(nid, str) and isinstance(item, dict):
                    word = ("fin — ending: " if key == "endings" else "") + _words(item.get("title") or item.get("text"))
                    targets.setdefault(nid, word)
    gauges = data.get("gauges")
    names: dict[str, str] = {}
    defaults = DEFAULT_GAUGE_LABELS.get(data.get("language"), DEFAULT_GAUGE_LABELS["fr"])
    if isinstance(gauges, dict):
        for g, spec in gauges.items():
            if isinstance(g, str):
                label = spec.get("label") if isinstance(spec, dict) else None
                label = label if isinstance(label, str) else defaults.get(g)
                names[g] = "jauge — gauge" + (f": {label}" if isinstance(label, str) else "")
    else:
        names.update({g: f"jauge — gauge: {defaults[g]}" for g in DEFAULT_GAUGES})
    variables = data.get("variables")
    if isinstance(variables, dict):
        for v, start in variables.items():
            if isinstance(v, str):
                names.setdefault(v, f"variable, départ — start: {str(start).lower()}")
    defs = schema["$defs"]
    if targets:
        for where in (defs["Choice"], defs["Outcome"], defs["Trigger"], schema):
            key = "start" if where is schema else "goto"
            prop = where["properties"][key]
            where["properties"][key] = _enum(targets, prop.get("description", ""))
    if names:
        for d in [schema, *defs.values()]:
            for key in ("effects", "set"):
                prop = d.get("properties", {}).get(key)
                if prop is not None:
                    prop["propertyNames"] = _enum(names, "jauge ou variable — gauge or variable")
                    prop["propertyNames"].pop("type")
                    value = prop.get("additionalProperties", {})
                    prop["properties"] = {n: {**copy.deepcopy(value), "description": w} for n, w in names.items()}
    schema["$id"] = SCHEMA_ID.replace("scenario.schema.json", f"{data.get('id') or 'scenario'}.schema.json")
    return schema
