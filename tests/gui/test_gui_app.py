"""Starting the app: the screenshot mode, and errors that end in a message rather than a traceback."""

from __future__ import annotations

from PySide6.QtGui import QImage

from gui.app import run_app


def test_screenshot_renders_the_window_at_the_asked_size(tmp_path, capsys):
    # 1280x720, the smallest screen the window is laid out for (tests/gui/test_gui_first_use.py), rather than the
    # 1024x640 this once asked for: with the 10th score indicator (Commitments) and the wrapped headline of issue 12
    # the window's least height at 1024 wide is ~657 px, and a window is never drawn smaller than its least size.
    out = tmp_path / "window.png"
    assert run_app(["--screenshot", str(out), "--size", "1280x720"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 720)
    assert "window.png: 1280x720" in capsys.readouterr().out


def test_a_missing_file_is_a_message(tmp_path, capsys):
    assert run_app([str(tmp_path / "nowhere.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


def test_no_display_is_a_message_not_a_qt_abort(monkeypatch, capsys):
    """On a machine with no display Qt aborts the process with a plugin error; the app says what to do."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert run_app([]) == 2
    err = capsys.readouterr().err
    assert "no display" in err and "--screenshot" in err


def test_a_bad_size_is_a_message(capsys):
    assert run_app(["--screenshot", "x.png", "--size", "huge"]) == 2
    assert "is not a size such as 1440x900" in capsys.readouterr().err


def test_a_broken_file_lists_its_problems(tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert run_app([str(bad), "--screenshot", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()
