"""How unit names compare: plain string rules, with no database (the parser uses them too)."""

_BRACKETS = str.maketrans({"(": "(", ")": ")", ",": ",", " ": "", "\u3000": "", "\t": ""})


def normalise_name(name: str) -> str:
    """Half-width brackets and stray spaces do not make a different unit: 各街办(园区) = 各街办(园区)."""
    return name.strip().translate(_BRACKETS)
