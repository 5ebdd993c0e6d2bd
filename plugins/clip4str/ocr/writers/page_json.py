"""JSON per page (MMOCRInferencer's schema plus extras, see PageResult.to_dict)."""
import json

from ..result import PageResult
from .atomic import write_text


def write_page_json(path: str, page: PageResult) -> None:
    write_text(path, json.dumps(page.to_dict(), ensure_ascii=False, indent=1))
