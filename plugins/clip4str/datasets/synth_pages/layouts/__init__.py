"""Page layouts. Each takes a :class:`Ctx` and returns a flat, undamaged :class:`Canvas`."""
from .common import Ctx
from .document import render_document
from .form import render_form
from .receipt import render_receipt_canvas
from .scene import render_scene
from .table import render_table_page

LAYOUTS = {
    'document': render_document,
    'table': render_table_page,
    'form': render_form,
    'receipt': render_receipt_canvas,
    'scene': render_scene,
}

__all__ = ['Ctx', 'LAYOUTS']
