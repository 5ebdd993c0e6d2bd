"""Plain text of a whole input in reading order; pages end with a form feed like pdftotext."""
from typing import Sequence

from .atomic import write_text


def document_text(page_texts: Sequence[str]) -> str:
    return ''.join(t.rstrip('\n') + '\n\f' for t in page_texts)


def write_plain_text(path: str, page_texts: Sequence[str]) -> None:
    write_text(path, document_text(page_texts))
