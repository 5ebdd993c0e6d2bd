"""OCR engine errors that carry the file they are about: a batch reports one line each."""


class OCRInputError(Exception):
    """A user's input (image, PDF, folder) cannot be read; ``str()`` is 'PATH: problem'."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f'{self.path}: {problem}')


class ModelLoadError(Exception):
    """A model config or checkpoint cannot be used; the message names the file and the fix."""
