"""The tree shows the layers, and no module imports itself round a circle (import-linter holds the layers)."""

from __future__ import annotations

import grimp


def test_no_import_cycle_in_model_or_gui() -> None:
    """For every import A -> B, B must not lead back to A: a circle would tie two layers (or two modules) into one
    that can only be understood, tested and changed together. Type-checking imports count too."""
    graph = grimp.build_graph("model", "gui", cache_dir=None)
    circles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                circles.append(" -> ".join((importer,) + tuple(back)))
    assert circles == []


def test_the_circle_finder_sees_a_circle(tmp_path, monkeypatch) -> None:
    """The check above can fail: two modules that import each other are found."""
    pkg = tmp_path / "circle_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from circle_pkg import b\n")
    (pkg / "b.py").write_text("from circle_pkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("circle_pkg", cache_dir=None)
    assert graph.find_shortest_chain(importer="circle_pkg.b", imported="circle_pkg.a") == ("circle_pkg.b",
                                                                                           "circle_pkg.a")
    assert graph.find_shortest_chain(importer="circle_pkg.a", imported="circle_pkg.b") is not None
