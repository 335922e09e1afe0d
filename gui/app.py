"""Start the window: ``python main.py [FILE.xlsx] [--scenario NAME] [--compare] [--screenshot OUT.png]
[--size 1440x900]``.

Errors end in a message, never a traceback: a file that cannot be opened is reported (and the default scenario is
shown instead), and an unexpected exception while the window runs is shown in a dialog and logged to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

SCREENSHOT_SIZE = (1440, 900)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1440x900") from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"{text!r} is outside 320x240 .. 8000x8000")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bubblescope", description="Does the AI build-out pay back?")
    parser.add_argument("file", nargs="?", help="a scenario workbook (.xlsx) to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window to a PNG and exit")
    parser.add_argument("--scenario", metavar="NAME", help="show this scenario of the workbook (default: Base)")
    parser.add_argument("--compare", action="store_true", help="open on the Compare scenarios tab")
    parser.add_argument("--size", type=parse_size, default=SCREENSHOT_SIZE, metavar="WxH",
                        help="window size for --screenshot (default 1440x900)")
    return parser


def run_app(args: list[str]) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(args)
    except SystemExit as exc:   # argparse has printed the usage and the reason
        return int(exc.code or 0)
    if not os.environ.get("QT_QPA_PLATFORM") and not _has_display():
        if not options.screenshot:     # Qt would abort with a plugin error: say what to do instead
            print("bubblescope: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset). Run it "
                  "in a desktop session, or: main.py --screenshot OUT.png | main.py report FILE.xlsx",
                  file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if options.file and not Path(options.file).exists():
        print(f"bubblescope: {options.file}: no such file", file=sys.stderr)
        return 2
    try:
        return _run(options)
    except Exception as exc:  # a message, not a traceback (BUBBLESCOPE_DEBUG=1 shows it)
        if os.environ.get("BUBBLESCOPE_DEBUG"):
            traceback.print_exc()
        print(f"bubblescope: could not start the window: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _run(options: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("Bubblescope")
    app.setApplicationName("Bubblescope")
    app.setApplicationDisplayName("Bubblescope")

    from gui.document import Document
    from gui.files import default_scenario, read_workbook, settle_memory
    from gui.main_window import MainWindow

    document = Document(default_scenario(), "", untitled="Default scenario")
    failure: tuple[str, BaseException] | None = None
    if options.file:
        try:
            document = Document(read_workbook(options.file), str(Path(options.file)))
        except Exception as exc:  # reported below, in the window or on stderr
            failure = (options.file, exc)
    if options.scenario and failure is None:
        if options.scenario not in document.book.names:
            print(f"bubblescope: no scenario named {options.scenario!r}; the workbook has: "
                  f"{', '.join(document.book.names)}", file=sys.stderr)
            return 2
        document.switch(options.scenario)
    if options.screenshot:
        if failure is not None:
            from gui.files import describe_failure

            summary, problems = describe_failure(failure[1])
            where = "" if failure[0] in summary else f"{failure[0]}: "
            print(f"bubblescope: {where}{summary}", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        return screenshot(document, options.screenshot, options.size, options.compare)

    from gui.journal import JournalKeeper

    sys.excepthook = _excepthook
    window = MainWindow(document)
    journal = JournalKeeper(document, parent=window)   # every edit on disk at once; crashed ones come back
    journal.attach(window)
    # Before the first layout runs the event loop: the first paint shows the recovered work, and nothing queued
    # before start-up (a test driver's first step) sees the document without it.
    journal.recover(options.file)
    if options.compare:
        window.show_compare()
    settle_memory()
    window.resize(*_initial_size(app))
    _lay_out_unseen(window, app)
    if os.environ.get("BUBBLESCOPE_EXIT_AFTER_PAINT"):    # bench/bench_start.py: the time to the first paint
        _exit_after_first_paint(window)
    window.show()
    if failure is not None:
        window.files.show_failure(*failure, at_start=True)
    elif options.file:
        window.files.add_recent(options.file)
    code = int(app.exec())
    journal.close()       # the window closed after Save or Discard: nothing is left to recover
    return code


def screenshot(document: object, out: str, size: tuple[int, int], compare: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from gui.main_window import MainWindow

    window = MainWindow(document)  # type: ignore[arg-type]
    window.resize(*size)
    if compare:
        window.show_compare()
    window.show()
    document.recomputer.wait_idle()  # type: ignore[attr-defined]
    window.compare.wait_idle()
    for _ in range(5):
        QApplication.processEvents()
    # Again once laid out: shown before its labels knew their widths, the window's minimum height was taller than
    # it is (657 px at 1024 wide), and a window does not shrink back to the size asked for by itself.
    window.resize(*size)
    QApplication.processEvents()
    window.apply_default_sizes()
    QApplication.processEvents()
    image = window.grab()
    if not image.save(out, None, 0 if out.lower().endswith(".png") else -1):   # PNG: smallest file
        print(f"bubblescope: cannot write {out}", file=sys.stderr)
        return 1
    print(f"{out}: {image.width()}x{image.height()}")
    window.document.undo_stack.setClean()
    window.close()
    return 0


def _lay_out_unseen(window: object, app: object) -> None:
    """Lay the window out and paint it once without mapping it, then show it: on X11 a mapped window is black
    until its first paint, which otherwise waited ~0.15 s for the first layout of every view (the window is
    shown with its content 3 ms after mapping instead)."""
    from PySide6.QtCore import Qt

    attribute = Qt.WidgetAttribute.WA_DontShowOnScreen
    window.setAttribute(attribute, True)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    app.processEvents()  # type: ignore[attr-defined]
    window.hide()  # type: ignore[attr-defined]
    window.setAttribute(attribute, False)  # type: ignore[attr-defined]


def _exit_after_first_paint(window: object) -> None:
    """Print ``painted`` once the window has painted for the first time, then quit (the window is not kept)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.done:
                self.done = True     # after this paint has run and been flushed to the screen
                QTimer.singleShot(0, lambda: (print("painted", flush=True), os._exit(0)))
            return False

    window.installEventFilter(FirstPaint(window))  # type: ignore[attr-defined,arg-type]


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in ("win32", "darwin")


def _initial_size(app: object) -> tuple[int, int]:
    screen = app.primaryScreen()  # type: ignore[attr-defined]
    if screen is None:
        return SCREENSHOT_SIZE
    available = screen.availableGeometry()
    return min(SCREENSHOT_SIZE[0], int(available.width() * 0.95)), min(SCREENSHOT_SIZE[1],
                                                                        int(available.height() * 0.92))


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An unexpected error: logged in full to stderr, shown as a readable message; the window keeps running."""
    details = "".join(traceback.format_exception(kind, value, tb))
    print(details, file=sys.stderr)
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is not None:
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error",
                          f"Something went wrong: {value}\nThe scenario on screen is unchanged; save your work.")
        box.setDetailedText(details)
        box.exec()
