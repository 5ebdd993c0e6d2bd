"""OCR engine errors that carry the file they are about: a batch reports one line each."""
import os



def printable(path: str) -> str:
    """A file name as text that any stream can print (names need not be valid UTF-8)."""
    return os.fsencode(path).decode('utf-8', 'backslashreplace')


class OCRInputError(Exception):
    """A user's input (image, PDF, folder) cannot be read; ``str()`` is 'PATH: problem'."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f'{printable(self.path)}: {problem}')


class ModelLoadError(Exception):
    """A model config or checkpoint cannot be used; the message names the file and the fix."""


# what an exception that carries no message means in our uses (reading files)
_SILENT_MEANING = {
    'EOFError': 'the file ends early (empty or truncated)',
    'UnpicklingError': 'not a PyTorch checkpoint (or a damaged one)',
    'KeyError': 'a required key is missing',
}


def error_line(e: BaseException) -> str:
    """'Type: message' on one line; a reason where the exception itself gives none."""
    text = ' '.join(str(e).split())
    if not text or text in ("''", '""'):
        text = _SILENT_MEANING.get(type(e).__name__, 'no details given')
    return f'{type(e).__name__}: {text}'


def file_problem(path: str) -> str:
    """Why a file cannot be read at all ('' when it can be opened and is not empty)."""
    try:
        if os.path.getsize(path) == 0:
            return 'the file is empty (0 bytes)'
        with open(path, 'rb'):
            return ''
    except OSError as e:
        return f'cannot read it: {e.strerror or e}'
