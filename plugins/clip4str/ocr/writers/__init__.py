"""Result writers; every file is written atomically (temporary file + os.replace)."""
from .atomic import (atomic_path, partial_dir, publish_dir, publish_mode, remove_stale_partials,
                     write_bytes, write_text)
from .page_json import write_page_json
from .plain_text import document_text, write_plain_text
from .searchable_pdf import SearchablePdfWriter
from .visualise import render_page, write_visualisation

__all__ = ['atomic_path', 'partial_dir', 'publish_dir', 'publish_mode', 'remove_stale_partials',
           'write_bytes', 'write_text', 'write_page_json', 'document_text', 'write_plain_text',
           'SearchablePdfWriter', 'render_page', 'write_visualisation']
