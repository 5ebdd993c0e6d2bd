"""tools/make_synth.py end to end on a few samples."""
import subprocess
import sys

import pytest

from clip4str.cli.make_synth import main
from clip4str.datasets.synth import read_count
from synth_fixtures import synth_fonts  # noqa: F401  (pytest fixtures)


@pytest.fixture()
def cfg_file(tmp_path):
    p = tmp_path / 'synth_cfg.py'
    p.write_text('synth = dict(text=dict(use_wordfreq=False), style=dict(p_neighbour_text=0.5))\n')
    return str(p)


def base_args(tmp_path, synth_fonts, cfg_file):
    return ['--fonts', *synth_fonts, '--font-cache', str(tmp_path / 'fc.json'),
            '--config', cfg_file]


def test_cli_writes_lmdb_and_preview(tmp_path, synth_fonts, cfg_file, capsys):
    out = tmp_path / 'synth'
    rc = main(['--out', str(out), '--num', '6', '--seed', '3', '--preview', '4',
               *base_args(tmp_path, synth_fonts, cfg_file)])
    assert rc == 0
    assert read_count(str(out)) == 6
    from PIL import Image
    sheet = Image.open(str(out) + '_preview.png')
    assert sheet.width > 100 and sheet.height > 50
    printed = capsys.readouterr().out
    assert 'images/s' in printed


def test_cli_refuses_to_mix_seeds(tmp_path, synth_fonts, cfg_file, capsys):
    out = str(tmp_path / 'synth')
    assert main(['--out', out, '--num', '2', *base_args(tmp_path, synth_fonts, cfg_file)]) == 0
    rc = main(['--out', out, '--num', '4', '--seed', '9',
               *base_args(tmp_path, synth_fonts, cfg_file)])
    assert rc == 2
    assert 'different settings' in capsys.readouterr().err
    assert read_count(out) == 2


def test_cli_bad_inputs_name_the_problem(tmp_path, synth_fonts):
    with pytest.raises(SystemExit, match='config file not found'):
        main(['--out', str(tmp_path / 'o'), '--num', '1', '--config', str(tmp_path / 'no.py')])
    bad = tmp_path / 'bad.py'
    bad.write_text('synth = dict(colours=3)\n')
    with pytest.raises(SystemExit, match='unknown keys'):
        main(['--out', str(tmp_path / 'o'), '--num', '1', '--config', str(bad)])
    bad.write_text('text = 3\n')
    with pytest.raises(SystemExit, match='cannot load config'):
        main(['--out', str(tmp_path / 'o'), '--num', '1', '--config', str(bad)])
    bad.write_text('style = dict()\n')
    with pytest.raises(SystemExit, match='define synth'):
        main(['--out', str(tmp_path / 'o'), '--num', '1', '--config', str(bad)])
    with pytest.raises(SystemExit, match='--fonts paths not found'):
        main(['--out', str(tmp_path / 'o'), '--num', '1', '--fonts', str(tmp_path / 'nofont')])


def test_tools_script_runs(tmp_path, synth_fonts, cfg_file, repo_root):
    out = tmp_path / 'synth'
    env_path = str(repo_root / 'plugins')
    r = subprocess.run([sys.executable, str(repo_root / 'tools' / 'make_synth.py'),
                        '--out', str(out), '--num', '3', '--workers', '2',
                        *base_args(tmp_path, synth_fonts, cfg_file)],
                       capture_output=True, text=True, timeout=300,
                       env={'PYTHONPATH': env_path, 'PATH': '/usr/bin:/bin'})
    assert r.returncode == 0, r.stderr
    assert read_count(str(out)) == 3


def test_sigterm_keeps_committed_samples(tmp_path, synth_fonts, cfg_file, repo_root):
    import signal
    import time
    out = tmp_path / 'synth'
    proc = subprocess.Popen([sys.executable, str(repo_root / 'tools' / 'make_synth.py'),
                             '--out', str(out), '--num', '100000', '--commit-every', '20',
                             *base_args(tmp_path, synth_fonts, cfg_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={'PYTHONPATH': str(repo_root / 'plugins'), 'PATH': '/usr/bin:/bin'})
    try:
        deadline = time.time() + 120
        while read_count(str(out)) < 40 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert 'rerun the same command to resume' in err
    assert 40 <= read_count(str(out)) < 100000
