"""A pipeline component that starts a sentence after every line break, before the parser runs.

The parser reads an article body as one text. Across a paragraph break it sometimes carries a
sentence on: in a live blog, a time stamp on a line of its own took the name opening the next
line as its apposition, and the verb after the name was left with no subject; a paragraph that
ends with a closing quotation ran into the next one. A line break in news copy ends a paragraph,
a heading, a dateline or a time stamp, and no sentence goes on across it; spaCy's parser keeps
sentence starts set before it runs.
"""

from spacy.language import Language
from spacy.tokens import Doc

NAME = "paragraph_breaks"


@Language.component(NAME)
def paragraph_breaks(doc: Doc) -> Doc:
    for token in doc[1:]:
        before = doc[token.i - 1]
        if before.is_space and "\n" in before.text and not token.is_space:
            token.is_sent_start = True
    return doc


def add_to(nlp: Language) -> None:
    """Put the component before the parser (a model without a parser gets none)."""
    if "parser" in nlp.pipe_names and NAME not in nlp.pipe_names:
        nlp.add_pipe(NAME, before="parser")
