"""tools/test.py and tools/train.py: errors are one line (exit 1), bad values exit 2, a checkpoint
that cannot be read says why; --debug shows the traceback instead."""
import pytest

from clip4str.cli import test as test_tool
from clip4str.cli import train as train_tool
from tests.helpers import REPO

TINY = str(REPO / 'configs' / 'textrecog' / 'clip4str' / 'clip4str_tiny_toy.py')


def run(main, capsys, *argv):
    with pytest.raises(SystemExit) as stop:
        main([str(a) for a in argv])
    err = capsys.readouterr().err
    message = stop.value.code if isinstance(stop.value.code, str) else err.strip()
    return stop.value.code if isinstance(stop.value.code, int) else 1, message


def test_empty_checkpoint_says_so(tmp_path, capsys):
    (tmp_path / 'empty.pth').write_bytes(b'')
    code, message = run(test_tool.main, capsys, TINY, tmp_path / 'empty.pth',
                        '--work-dir', tmp_path)
    assert code == 2 and message == f'error: checkpoint {tmp_path}/empty.pth: the file is ' \
        'empty (0 bytes)'


@pytest.mark.parametrize('main', [test_tool.main, train_tool.main])
def test_cfg_options_of_the_wrong_type_exit_2(main, tmp_path, capsys):
    (tmp_path / 'x.pth').write_bytes(b'x')
    args = [TINY] + ([tmp_path / 'x.pth'] if main is test_tool.main else [])
    code, message = run(main, capsys, *args, '--work-dir', tmp_path,
                        '--cfg-options', 'model.decoder.refine_iters=two')
    assert code == 2 and message == ("error: --cfg-options model.decoder.refine_iters='two': "
                                     'expected a number like 1')


def test_a_failure_inside_is_one_line_and_debug_shows_the_traceback(tmp_path, capsys):
    (tmp_path / 'x.pth').write_bytes(b'x')
    args = [TINY, tmp_path / 'x.pth', '--work-dir', tmp_path,
            '--cfg-options', 'model.type=NoSuchModel']
    code, message = run(test_tool.main, capsys, *args)
    assert code == 1 and message.startswith('error: KeyError: ') and '\n' not in message
    assert 'NoSuchModel' in message
    assert message.endswith('(--debug shows the traceback)')
    with pytest.raises(Exception) as raised:
        test_tool.main([str(a) for a in args] + ['--debug'])
    assert not isinstance(raised.value, SystemExit)
