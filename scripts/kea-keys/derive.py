#!/usr/bin/env python3
"""Derive Kea's own key table (keys and value kinds per map) from Kea's sources at a release tag.

Usage: scripts/kea-keys/derive.py [--kea-git DIR] [--out DIR]
  --kea-git  a git directory of isc-projects/kea holding the release tags
             (default: /work/.mirror/isc-projects+kea/repo, or $KEA_GIT)
  --out      where the tables go (default: src/KeaGitOps.Core/Kea/Keys/Data next to this script)

Writes one JSON file per targeted version (kea-keys-2.2.json, ...), which KeaGitOps.Core embeds. The
files are generated: change this script and run it again, never edit them by hand.

What it reads, at each tag:
- src/bin/dhcp4/dhcp4_parser.yy and src/bin/agent/agent_parser.yy: the bison grammars. A map's keys are
  the keyword rules reachable from the rule between its braces; a key's value kind is what follows COLON
  (INTEGER, FLOAT, BOOLEAN, STRING, a nested map, a list, an enumeration of keyword tokens, or the generic
  JSON `value` / `map_value`).
- src/bin/dhcp4/dhcp4_lexer.ll and src/bin/agent/agent_lexer.ll: a key string is a keyword only in the
  lexer contexts its switch names; anywhere else it is a plain STRING, which the grammar refuses as an
  unknown keyword. So a scope's keys are those the lexer turns into one of the scope's keyword tokens in
  the context that is active inside that map (the grammar's ctx.enter). This also brings in aliases
  (two strings, one token), e.g. 2.2's output_options / output-options.
- src/bin/dhcp4/parser_context.cc and src/bin/agent/parser_context.cc: the context names Kea prints in its
  own messages ("subnet4", "pools"), used as scope names.
- src/hooks/dhcp/high_availability/ha_config_parser.cc: the HA hook has no grammar and no keyword table;
  it reads its parameters with getString/getBoolean/getInteger/get/contains on named maps. The keys come
  from those calls (by the variable holding each map); the nesting of its maps is stated below
  (HA_STRUCTURE) because it is code, not data. The hook ignores keys it does not read; `user-context` and
  `comment` are added to its maps, as everywhere in Kea's grammar, so that operators can annotate them.
"""

import argparse
import json
import os
import re
import subprocess
import sys

TAGS = [("2.2", "Kea-2.2.0"), ("2.6", "Kea-2.6.3"), ("3.0", "Kea-3.0.4")]

DHCP4_FILES = ("src/bin/dhcp4/dhcp4_parser.yy", "src/bin/dhcp4/dhcp4_lexer.ll", "src/bin/dhcp4/parser_context.cc")
AGENT_FILES = ("src/bin/agent/agent_parser.yy", "src/bin/agent/agent_lexer.ll", "src/bin/agent/parser_context.cc")
HA_FILE = "src/hooks/dhcp/high_availability/ha_config_parser.cc"

# Terminals that are not keywords.
PUNCTUATION = {"COMMA", "COLON", "LSQUARE_BRACKET", "RSQUARE_BRACKET", "LCURLY_BRACKET", "RCURLY_BRACKET", "END"}
SCALARS = {"INTEGER": "Integer", "FLOAT": "Real", "BOOLEAN": "Boolean", "STRING": "String", "NULL_TYPE": "Null"}
# Generic JSON rules of both grammars.
GENERIC = {"value": "Any", "map_value": "AnyMap", "map2": "AnyMap", "list_generic": "AnyList", "list_strings": "StringList"}


class KeaSourceError(Exception):
    pass


def git_show(kea_git, tag, path):
    try:
        return subprocess.run(["git", "--git-dir", kea_git, "show", f"{tag}:{path}"],
                              check=True, capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as error:
        raise KeaSourceError(f"cannot read {path} at {tag} from {kea_git}: {error.stderr.strip()}") from error


# ---- bison grammar -------------------------------------------------------------------------------

def tokenize_grammar(text):
    """Tokens of the rules section: identifiers, ':', '|', ';', %empty, and action blocks as ('{', code)."""
    body = text.split("\n%%", 2)[1]
    tokens = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c.isspace():
            i += 1
        elif body.startswith("//", i):
            i = body.index("\n", i) if "\n" in body[i:] else n
        elif body.startswith("/*", i):
            i = body.index("*/", i) + 2
        elif c == "{":
            depth, j = 0, i
            while j < n:
                d = body[j]
                if d in "\"'":
                    j += 1
                    while body[j] != d:
                        j += 2 if body[j] == "\\" else 1
                elif body.startswith("//", j):
                    j = body.index("\n", j)
                    continue
                elif body.startswith("/*", j):
                    j = body.index("*/", j) + 1
                elif d == "{":
                    depth += 1
                elif d == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            tokens.append(("{", body[i + 1:j]))
            i = j + 1
        elif c in ":|;":
            tokens.append((c, c))
            i += 1
        elif c == "%":
            m = re.match(r"%\w+", body[i:])
            tokens.append(("sym", m.group(0)))
            i += len(m.group(0))
        elif c == "<":
            # a %type tag never appears in rules, but $<type>n might in actions only
            i += 1
        else:
            m = re.match(r"[A-Za-z_][A-Za-z_0-9.]*", body[i:])
            if not m:
                raise KeaSourceError(f"unexpected character {c!r} in grammar near: {body[i:i + 40]!r}")
            tokens.append(("sym", m.group(0)))
            i += len(m.group(0))
    return tokens


def parse_rules(text):
    """rule name -> list of alternatives; an alternative is a list of ('sym', name) and ('{', code)."""
    tokens = tokenize_grammar(text)
    rules = {}
    current = None
    alternative = []
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        # A rule starts at `name :` (bison lets a rule end without ';').
        if kind == "sym" and i + 1 < len(tokens) and tokens[i + 1][0] == ":":
            if current is not None:
                rules[current].append(alternative)
            current = value
            rules.setdefault(current, [])
            alternative = []
            i += 2
            continue
        if kind == "|":
            rules[current].append(alternative)
            alternative = []
        elif kind == ";":
            if current is not None:
                rules[current].append(alternative)
            current = None
            alternative = []
        elif current is not None:
            alternative.append((kind, value))
        i += 1
    if current is not None:
        rules[current].append(alternative)
    return rules


def parse_token_strings(text):
    """Token name -> the string it stands for, from the %token declarations."""
    strings = {}
    for block in re.findall(r"%token(?:\s*<[^>]+>)?\s+((?:[A-Z0-9_]+(?:\s+\d+)?\s+\"[^\"]*\"\s*)+)", text):
        for name, string in re.findall(r"([A-Z0-9_]+)(?:\s+\d+)?\s+\"([^\"]*)\"", block):
            strings[name] = string
    return strings


def parse_lexer(text):
    """Key string -> {context: token} for every keyword the lexer knows, per context; and the strings
    the lexer matches in any case ((?i:...) rules, e.g. dhcp-ddns's "UDP")."""
    keywords, any_case = {}, set()
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r'^(\(\?i:)?\\"([^"\\{}*]+)\\"\)?\s*\{\s*$', lines[i])
        if not m:
            i += 1
            continue
        key = m.group(2)
        ignores_case = bool(m.group(1))
        if ignores_case:
            key = key.lower()
        contexts = []
        per_context = keywords.setdefault(key, {})
        i += 1
        while i < len(lines) and not lines[i].startswith("}"):
            line = lines[i]
            for context in re.findall(r"(?:case\s+|driver\.ctx_\s*==\s*)[\w:]*::(\w+)", line):
                contexts.append(context)
            made = re.search(r"make_(\w+)\(", line)
            if made:
                if made.group(1) != "STRING":
                    for context in contexts:
                        per_context.setdefault(context, made.group(1))
                        if ignores_case:
                            # Only where the (?i:...) rule makes the keyword: elsewhere "UDP" is a plain string.
                            any_case.add((key, context))
                contexts = []
            i += 1
        i += 1
    return keywords, any_case


def parse_context_names(text):
    names = {}
    body = text[text.index("contextName()"):]
    for context, name in re.findall(r"case\s+(\w+):\s*return\s*\(\s*\"([^\"]*)\"\s*\)", body):
        names[context] = name
    return names


class Grammar:
    def __init__(self, yy, ll, context_cc, label):
        self.rules = parse_rules(yy)
        self.strings = parse_token_strings(yy)
        self.lexer, self.any_case = parse_lexer(ll)
        self.context_names = parse_context_names(context_cc)
        self.label = label
        self.keyword_tokens = {t for t in self.strings if t not in PUNCTUATION and t not in SCALARS}
        # token -> key strings the lexer turns into it, in any context
        self.aliases = {}
        for key, per_context in self.lexer.items():
            for token in per_context.values():
                self.aliases.setdefault(token, set()).add(key)

    def is_terminal(self, symbol):
        return symbol not in self.rules

    def is_key_rule(self, name):
        alternatives = self.rules.get(name)
        if not alternatives:
            return False
        first = [s for k, s in alternatives[0] if k == "sym"]
        return bool(first) and first[0] in self.keyword_tokens and len(first) > 1 and first[1] == "COLON"

    def map_keys(self, params_rule):
        """Key rules reachable from the rule between a map's braces."""
        found, seen, other_keys = [], set(), []

        def walk(rule):
            if rule in seen:
                return
            seen.add(rule)
            for alternative in self.rules[rule]:
                for kind, symbol in alternative:
                    if kind != "sym" or symbol in PUNCTUATION or symbol == rule or symbol == "%empty":
                        continue
                    if symbol == "arbitrary_map_entry":
                        # Any other key, any value (dhcp-queue-control: parameters of a queue implementation).
                        other_keys.append(True)
                        continue
                    if self.is_terminal(symbol) or symbol == "unknown_map_entry":
                        continue
                    if self.is_key_rule(symbol):
                        if symbol not in found:
                            found.append(symbol)
                    else:
                        walk(symbol)

        walk(params_rule)
        # A map takes several keys through a `params COMMA param` recursion somewhere on the way.
        several = any(rule in [sym for kind, sym in alternative if kind == "sym"]
                      for rule in seen for alternative in self.rules[rule])
        return found, several, bool(other_keys)


def last_context(actions, default):
    context = default
    for code in actions:
        for m in re.finditer(r"ctx\.enter\(\s*ctx\.(\w+)\s*\)", code):
            context = m.group(1)
    return context


class Deriver:
    """Walks one grammar from its top map, collecting one scope per (context, params rule)."""

    def __init__(self, grammar, name_scope):
        self.g = grammar
        self.name_scope = name_scope
        self.scopes = {}        # name -> {"keys": {...}}
        self.identity = {}      # (context, rule) -> name
        self.dropped = []       # keys the grammar lists but the lexer never makes a keyword there

    def scope(self, context, params_rule):
        identity = (context, params_rule)
        if identity in self.identity:
            return self.identity[identity]
        name = self.name_scope(self.g.context_names.get(context, context))
        if name in self.scopes:
            # Same context name, another rule: Kea would print the same name for two different maps.
            name = f"{name} ({params_rule})"
        self.identity[identity] = name
        keys = {}
        self.scopes[name] = {"keys": keys}
        key_rules, several, other_keys = self.g.map_keys(params_rule)
        if other_keys:
            self.scopes[name]["other-keys"] = True
        if not several:
            # No `params COMMA param` recursion: the map holds one of its keys only (relay: in 2.2, ip-address or ip-addresses).
            self.scopes[name]["single-key"] = True
        for key_rule in key_rules:
            alternatives = self.g.rules[key_rule]
            token = [s for k, s in alternatives[0] if k == "sym"][0]
            strings = sorted(k for k, per in self.g.lexer.items() if per.get(context) == token)
            if not strings:
                self.dropped.append(f"{name}: {self.g.strings.get(token, token)} ({key_rule}) is not a keyword in {context}")
                continue
            value_type = self.key_type(key_rule, context)
            stored = self.stored_names(key_rule)
            for string in strings:
                entry = {"kinds": value_type}
                # ctx.unique() on another name: the grammar refuses both in one map (socket-name and
                # socket-address; output_options and output-options, which are one key).
                excludes = sorted(n for n in stored if n != string)
                if excludes:
                    entry["excludes"] = excludes
                keys[string] = entry
        return name

    def stored_names(self, key_rule):
        names = set()
        for alternative in self.g.rules[key_rule]:
            for kind, code in alternative:
                if kind == "{":
                    names.update(re.findall(r"ctx\.unique\(\s*\"([^\"]+)\"", code))
        return names

    def key_type(self, key_rule, context):
        kinds = {}
        for alternative in self.g.rules[key_rule]:
            symbols = [s for k, s in alternative if k == "sym"]
            colon = symbols.index("COLON")
            # The context inside the value: the last ctx.enter before the value's map or list opens.
            inner = last_context([code for k, code in alternative if k == "{"], context)
            self.merge(kinds, self.sequence_type(symbols[colon + 1:], inner, alternative))
        return kinds

    @staticmethod
    def merge(into, kinds):
        for kind, detail in kinds.items():
            if kind not in into:
                into[kind] = detail
            else:
                # A plain STRING beside an enumeration takes any string: the enumeration no longer binds.
                if is_enumeration(into[kind]) != is_enumeration(detail):
                    into[kind] = {f: v for f, v in into[kind].items() if not f.startswith("values")}
                    detail = {f: v for f, v in detail.items() if not f.startswith("values")}
                for field, value in detail.items():
                    if field in ("values", "values-any-case"):
                        into[kind][field] = sorted(set(into[kind].get(field, [])) | set(value))
                    else:
                        into[kind].setdefault(field, value)

    def sequence_type(self, symbols, context, alternative=()):
        """Kinds of a value written as these grammar symbols: {kind: detail}."""
        symbols = [s for s in symbols if s != "%empty"]
        if symbols and symbols[0] == "LCURLY_BRACKET":
            inner = [s for s in symbols[1:] if s != "RCURLY_BRACKET"]
            if len(inner) == 1 and inner[0] in ("map_content",):
                return {"AnyMap": {}}
            return {"Map": {"scope": self.scope(context, inner[0])}}
        if symbols and symbols[0] == "LSQUARE_BRACKET":
            inner = [s for s in symbols[1:] if s != "RSQUARE_BRACKET"]
            element = self.element_type(inner[0], context, set())
            return self.list_of(element)
        if len(symbols) != 1:
            raise KeaSourceError(f"{self.g.label}: cannot read a value from {symbols}")
        return self.symbol_type(symbols[0], context, alternative)

    def list_of(self, element):
        kinds = {}
        for kind, detail in element.items():
            if kind == "Map":
                kinds["MapList"] = detail
            elif kind == "String":
                kinds["StringList"] = detail
            elif kind == "AnyMap":
                kinds["AnyList"] = {}
            else:
                raise KeaSourceError(f"{self.g.label}: a list of {kind} has no kind here")
        return kinds

    def symbol_type(self, symbol, context, alternative=()):
        if symbol == "STRING" and (checked := checked_strings(alternative)):
            # The action takes only these strings and calls error() on any other (sanity-checks).
            return {"String": {"values": checked}}
        if symbol in SCALARS:
            # Refused: the action does nothing but raise an error (a conditional error() only validates).
            refusal = [code for k, code in alternative if k == "{" and re.match(r"\s*error\s*\(", code)]
            if refusal:
                return {SCALARS[symbol]: {"refused": error_text(refusal[0])}}
            return {SCALARS[symbol]: {}}
        if symbol in GENERIC:
            return {GENERIC[symbol]: {}}
        if symbol in self.g.keyword_tokens:
            # An enumeration's value is a keyword too: every string the lexer makes this token of here.
            strings = sorted(k for k, per in self.g.lexer.items() if per.get(context) == symbol)
            if not strings:
                raise KeaSourceError(f"{self.g.label}: no string is the keyword {symbol} in {context}")
            exact = [k for k in strings if (k, context) not in self.g.any_case]
            any_case = [k for k in strings if (k, context) in self.g.any_case]
            detail = {"values": exact} if exact else {}
            if any_case:
                detail["values-any-case"] = any_case
            return {"String": detail}
        if symbol not in self.g.rules:
            raise KeaSourceError(f"{self.g.label}: unknown symbol {symbol}")
        kinds = {}
        for alternative in self.g.rules[symbol]:
            symbols = [s for k, s in alternative if k == "sym"]
            inner = last_context([code for k, code in alternative if k == "{"], context)
            self.merge(kinds, self.sequence_type(symbols, inner, alternative))
        return kinds

    def element_type(self, list_rule, context, seen):
        """The kinds of a list's elements: expand the list rules down to what is not COMMA or recursion."""
        if list_rule in GENERIC or list_rule in SCALARS or list_rule in self.g.keyword_tokens:
            return self.symbol_type(list_rule, context)
        kinds = {}
        seen = seen | {list_rule}
        for alternative in self.g.rules[list_rule]:
            symbols = [s for k, s in alternative if k == "sym" and s not in ("COMMA", "%empty") and s not in seen]
            if not symbols:
                continue
            if symbols[0] == "LCURLY_BRACKET":
                self.merge(kinds, self.sequence_type(symbols, last_context([c for k, c in alternative if k == "{"], context)))
            elif len(symbols) == 1 and symbols[0] in self.g.rules and symbols[0] not in GENERIC:
                self.merge(kinds, self.element_type(symbols[0], context, seen))
            elif len(symbols) == 1:
                self.merge(kinds, self.symbol_type(symbols[0], context, alternative))
            else:
                raise KeaSourceError(f"{self.g.label}: cannot read list elements from {list_rule}: {symbols}")
        return kinds

    def root(self, start_rule):
        """The map a top-level rule such as global_object opens (Dhcp4, Control-agent)."""
        alternative = self.g.rules[start_rule][0]
        symbols = [s for k, s in alternative if k == "sym"]
        context = last_context([c for k, c in alternative if k == "{"], None)
        braces = symbols.index("LCURLY_BRACKET")
        return self.scope(context, symbols[braces + 1])


def checked_strings(alternative):
    for kind, code in alternative:
        if kind == "{" and re.search(r"\berror\s*\(", code):
            values = re.findall(r"string\(\$\d+\)\s*==\s*\"([^\"]*)\"", code)
            if values:
                return sorted(values)
    return []


def is_enumeration(detail):
    return "values" in detail or "values-any-case" in detail


def error_text(code):
    strings = re.findall(r"\"((?:[^\"\\]|\\.)*)\"", code)
    return "".join(strings).strip() or "refused by Kea's grammar"


# ---- HA hook ------------------------------------------------------------------------------------

# Which variable of ha_config_parser.cc holds which map, and how the maps nest (code, not data).
HA_VARIABLES = {"c": "high-availability", "config": "high-availability", "mt_config": "high-availability/multi-threading",
                "p": "high-availability/peers", "s": "high-availability/state-machine/states",
                "state_machine": "high-availability/state-machine"}
HA_STRUCTURE = {
    ("high-availability", "peers"): {"MapList": {"scope": "high-availability/peers"}},
    ("high-availability", "multi-threading"): {"Map": {"scope": "high-availability/multi-threading"}},
    ("high-availability", "state-machine"): {"Map": {"scope": "high-availability/state-machine"}},
    ("high-availability/state-machine", "states"): {"MapList": {"scope": "high-availability/state-machine/states"}},
}
HA_GETTERS = {"getString": "String", "getBoolean": "Boolean", "getInteger": "Integer", "getAndValidateInteger": "Integer"}


def derive_ha(text, label):
    scopes = {name: {"keys": {}} for name in sorted(set(HA_VARIABLES.values()))}
    variable = r"\(?\*?(\w+)\)?"
    for getter, name, key in re.findall(r"\b(get\w*?)(?:<\w+>)?\(\s*" + variable + r"\s*,\s*\(?\"([^\"]+)\"", text):
        if getter not in HA_GETTERS or name not in HA_VARIABLES:
            continue
        scopes[HA_VARIABLES[name]]["keys"][key] = {"kinds": {HA_GETTERS[getter]: {}}}
    for name, key in re.findall(variable + r"->(?:get|contains)\(\s*\"([^\"]+)\"\s*\)", text):
        if name not in HA_VARIABLES:
            continue
        scope = HA_VARIABLES[name]
        if (scope, key) in HA_STRUCTURE:
            scopes[scope]["keys"][key] = {"kinds": HA_STRUCTURE[(scope, key)]}
        elif key not in scopes[scope]["keys"]:
            raise KeaSourceError(f"{label}: {scope} reads '{key}' without a typed getter; state its kind in HA_STRUCTURE")
    for (scope, key), kinds in HA_STRUCTURE.items():
        if key not in scopes[scope]["keys"]:
            raise KeaSourceError(f"{label}: the HA parser no longer reads '{key}' in {scope}; update HA_STRUCTURE")
    for scope in scopes.values():
        scope["keys"].setdefault("user-context", {"kinds": {"AnyMap": {}}})
        scope["keys"].setdefault("comment", {"kinds": {"String": {}}})
    return scopes


# ---- output -------------------------------------------------------------------------------------

def derive(kea_git, version, tag):
    dhcp4 = Grammar(*(git_show(kea_git, tag, f) for f in DHCP4_FILES), label=f"{tag} dhcp4")
    dhcp4_deriver = Deriver(dhcp4, lambda name: name)
    dhcp4_root = dhcp4_deriver.root("global_object")

    agent = Grammar(*(git_show(kea_git, tag, f) for f in AGENT_FILES), label=f"{tag} agent")
    agent_names = {"xxx-server": "control-socket"}
    agent_deriver = Deriver(agent, lambda name: name if name == "Control-agent" else "Control-agent/" + agent_names.get(name, name))
    agent_root = agent_deriver.root("global_object")

    ha_scopes = derive_ha(git_show(kea_git, tag, HA_FILE), f"{tag} HA")

    scopes = {}
    for part in (dhcp4_deriver.scopes, agent_deriver.scopes, ha_scopes):
        for name, scope in part.items():
            if name in scopes:
                raise KeaSourceError(f"{tag}: two scopes are named {name}")
            scopes[name] = scope

    # How messages name the HA hook's maps, which have no name in Kea's own messages.
    descriptions = {"high-availability": "a high-availability relationship",
                    "high-availability/peers": "a high-availability peer",
                    "high-availability/multi-threading": "the multi-threading of a high-availability relationship",
                    "high-availability/state-machine": "the state-machine of a high-availability relationship",
                    "high-availability/state-machine/states": "a state of a high-availability state-machine"}
    return {
        "generated-by": "scripts/kea-keys/derive.py (do not edit: change the script and run it again)",
        "version": version,
        "source": f"isc-projects/kea {tag}: " + ", ".join(DHCP4_FILES + AGENT_FILES + (HA_FILE,)),
        "roots": {"Dhcp4": dhcp4_root, "Control-agent": agent_root, "high-availability": "high-availability"},
        "descriptions": {k: v for k, v in descriptions.items() if k in scopes},
        "not-keywords": sorted(dhcp4_deriver.dropped + agent_deriver.dropped),
        "scopes": {name: {**{k: v for k, v in scopes[name].items() if k != "keys"},
                          "keys": {key: scopes[name]["keys"][key] for key in sorted(scopes[name]["keys"])}}
                   for name in sorted(scopes)},
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kea-git", default=os.environ.get("KEA_GIT", "/work/.mirror/isc-projects+kea/repo"))
    parser.add_argument("--out", default=os.path.normpath(os.path.join(here, "../../src/KeaGitOps.Core/Kea/Keys/Data")))
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    try:
        for version, tag in TAGS:
            table = derive(arguments.kea_git, version, tag)
            path = os.path.join(arguments.out, f"kea-keys-{version}.json")
            with open(path, "w", encoding="utf-8") as out:
                json.dump(table, out, indent=1, sort_keys=False)
                out.write("\n")
            count = sum(len(s["keys"]) for s in table["scopes"].values())
            print(f"{path}: {len(table['scopes'])} scopes, {count} keys ({tag})")
    except KeaSourceError as error:
        print(f"derive.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
