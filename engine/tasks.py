"""Elman's (1990) prediction tasks, generated reproducibly from a seed.

A stream is a list of items; the network sees item t and must predict item t + 1, so
inputs[t] = item t and targets[t] = item t + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Elman's six letter features: Consonant, Vowel, Interrupted, High, Back, Voiced.
FEATURES = ("Consonant", "Vowel", "Interrupted", "High", "Back", "Voiced")
LETTERS = {
    "b": (1, 0, 1, 0, 0, 1),
    "d": (1, 0, 1, 1, 0, 1),
    "g": (1, 0, 1, 0, 1, 1),
    "a": (0, 1, 0, 0, 1, 1),
    "i": (0, 1, 0, 1, 0, 1),
    "u": (0, 1, 0, 1, 1, 1),
}
WORDS = {"b": "ba", "d": "dii", "g": "guuu"}


# The kinds of position where the next item follows from the ones before, and why (the error strip marks them).
PREDICTABLE = {
    "xor-next": "the next bit is the XOR of the two before",
    "first-vowel-next": "the next letter is a vowel the consonant decides",
    "vowel-next": "the next letter is a vowel the consonant decides",
}


@dataclass
class Stream:
    task: str
    inputs: np.ndarray  # [position, unit]
    targets: np.ndarray
    labels: list[str]  # what each position's input is ("b", "a", ... or "0", "1")
    kinds: list[str]  # what is predicted at each position (see the task functions)
    places: list[int] | None = None  # word_boundaries: where in its word the predicted letter stands


def temporal_xor(length: int, seed: int) -> Stream:
    """Two random bits, then their XOR, again and again: 1 0 1 0 0 0 1 1 0 ...

    Predicting the next bit can only beat chance when the next bit is an XOR bit: at the
    position of the second bit of each triple (kind "xor-next"); elsewhere it is "random-next".
    """
    rng = np.random.default_rng(seed)
    triples = -(-(length + 1) // 3)
    pairs = rng.integers(0, 2, size=(triples, 2))
    bits = np.column_stack([pairs, pairs[:, 0] ^ pairs[:, 1]]).ravel()[: length + 1].astype(float)
    kinds = ["xor-next" if t % 3 == 1 else "random-next" for t in range(length)]
    return Stream("temporal_xor", bits[:-1, None], bits[1:, None], [str(int(b)) for b in bits[:-1]], kinds)


def letters(length: int, seed: int) -> Stream:
    """Random consonants b, d, g, each followed by its vowels: ba, dii, guuu (Elman 1990).

    Kinds say what comes next: "consonant-next" (unpredictable: which word starts), "first-vowel-next"
    (the consonant tells which vowel and how many), "vowel-next" (a later vowel: fully predictable).
    """
    rng = np.random.default_rng(seed)
    text = ""
    while len(text) < length + 1:
        text += WORDS["bdg"[rng.integers(0, 3)]]
    text = text[: length + 1]
    vectors = np.array([LETTERS[ch] for ch in text], dtype=float)
    kinds = []
    for t in range(length):
        following = text[t + 1]
        if following in WORDS:
            kinds.append("consonant-next")
        elif text[t] in WORDS:
            kinds.append("first-vowel-next")
        else:
            kinds.append("vowel-next")
    return Stream("letters", vectors[:-1], vectors[1:], list(text[:-1]), kinds)


# Word segmentation (Elman 1990, "What is a 'word'?"): sentences of a small lexicon run together
# letter by letter, without spaces. Each sentence is noun, verb, noun; cat and chases share their
# first letter, so after a c the word is still open.
NOUNS = ("boy", "girl", "cat", "dog")
VERBS = ("sees", "likes", "chases")
ALPHABET = "".join(sorted(set("".join(NOUNS + VERBS))))  # one input unit a letter (localist)


def word_boundaries(length: int, seed: int) -> Stream:
    """Sentences noun-verb-noun from NOUNS and VERBS, picked at random, with no spaces: boyseescat...

    Each letter is one unit on (of len(ALPHABET)). Kinds say what comes next: "word_start" (the first
    letter of the next word: which word it is cannot be known) or "inside_word" (a later letter).
    `places[t]` is where in its word the predicted letter stands (0: the first letter).
    """
    rng = np.random.default_rng(seed)
    text, places = "", []
    while len(text) < length + 1:
        for words in (NOUNS, VERBS, NOUNS):
            word = words[rng.integers(0, len(words))]
            text += word
            places += range(len(word))
    text, places = text[: length + 1], places[1 : length + 1]
    vectors = np.eye(len(ALPHABET))[[ALPHABET.index(ch) for ch in text]]
    kinds = ["word_start" if place == 0 else "inside_word" for place in places]
    return Stream("word_boundaries", vectors[:-1], vectors[1:], list(text[:-1]), kinds, places)


def mean_by_place(errors, places: list[int]) -> list[float]:
    """The mean error where the predicted letter is a word's first, second, third... letter."""
    errors, places = np.asarray(errors, dtype=float), np.asarray(places)
    return [float(errors[places == k].mean()) for k in range(int(places.max()) + 1)]


# Elman's (1990) sentences, in small: one word a step in a localist code. A sentence starts with any
# noun; an animate subject takes a verb of animates, an inanimate one a verb of things; a transitive
# verb takes any noun as its object.
ANIMATE = ("man", "woman", "cat", "dog")
INANIMATE = ("rock", "glass", "book", "ball")
ANIMATE_VERBS = {"sleep": False, "think": False, "see": True, "like": True, "chase": True, "fall": False, "move": False}
THING_VERBS = {"fall": False, "move": False, "break": False, "roll": False}  # the value: transitive?
LEXICON = ANIMATE + INANIMATE + tuple(dict.fromkeys((*ANIMATE_VERBS, *THING_VERBS)))  # unit k: LEXICON[k]


def sentences(length: int, seed: int) -> Stream:
    """Sentences run together one word a step: dog chase ball rock fall man think ...

    Kinds say what comes next: "noun-next" or "verb-next".
    """
    rng = np.random.default_rng(seed)
    nouns = ANIMATE + INANIMATE
    words: list[str] = []
    while len(words) < length + 1:
        subject = nouns[rng.integers(0, len(nouns))]
        verbs = ANIMATE_VERBS if subject in ANIMATE else THING_VERBS
        verb = tuple(verbs)[rng.integers(0, len(verbs))]
        words += [subject, verb] + ([nouns[rng.integers(0, len(nouns))]] if verbs[verb] else [])
    words = words[: length + 1]
    vectors = np.eye(len(LEXICON))[[LEXICON.index(w) for w in words]]
    kinds = ["noun-next" if w in nouns else "verb-next" for w in words[1:]]
    return Stream("sentences", vectors[:-1], vectors[1:], words[:-1], kinds)


TASKS = {  # generator, inputs, outputs
    "temporal_xor": (temporal_xor, 1, 1),
    "letters": (letters, 6, 6),
    "word_boundaries": (word_boundaries, len(ALPHABET), len(ALPHABET)),
    "sentences": (sentences, len(LEXICON), len(LEXICON)),
}


def make_stream(task: str, length: int, seed: int) -> Stream:
    return TASKS[task][0](length, seed)
