#!/usr/bin/python3
"""A GTK 3 drag source for the end-to-end tests: a small window at a given place on the X display
that offers the given local paths as `text/uri-list` when dragged, as a file manager does.

The test presses on it and moves the pointer with xdotool (XTEST: real pointer events); GTK starts
the drag and speaks XDND to the window under the pointer, which is the app: GTK → wry → Tauri's
drag-drop event → the UI. Nothing in here talks to the app.

Usage: drag_source.py X Y PATH...
Prints one line per event on stdout (flushed), for the test to wait on and to show on failure:
  ready X Y WIDTH HEIGHT   the window is mapped; press inside this root-window rectangle
  begin                    GTK started the drag
  data                     the target asked for the data (the URI list was handed over)
  end                      the drag ended (dropped or not)
  failed RESULT            the drag failed (RESULT: GtkDragResult's nick, e.g. no-target)
Exits after the drag ended (plus a moment for the target to fetch the data), or after 5 minutes.
"""

import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

SIZE = 96


def say(line):
    print(line, flush=True)


def main():
    x, y = int(sys.argv[1]), int(sys.argv[2])
    uris = [GLib.filename_to_uri(path, None) for path in sys.argv[3:]]

    window = Gtk.Window(title="e2e drag source")
    window.set_decorated(False)
    window.set_default_size(SIZE, SIZE)
    window.move(x, y)

    box = Gtk.EventBox()
    label = Gtk.Label(label=f"drag {len(uris)}")
    box.add(label)
    window.add(box)

    targets = [Gtk.TargetEntry.new("text/uri-list", 0, 0)]
    box.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, targets, Gdk.DragAction.COPY)

    def on_data_get(_widget, _context, data, _info, _time):
        data.set_uris(uris)
        say("data")

    def on_end(_widget, _context):
        say("end")
        # Let the target fetch the data it asked for before going away.
        GLib.timeout_add(3000, Gtk.main_quit)

    def on_failed(_widget, _context, result):
        say(f"failed {result.value_nick}")
        return False

    box.connect("drag-begin", lambda *_: say("begin"))
    box.connect("drag-data-get", on_data_get)
    box.connect("drag-end", on_end)
    box.connect("drag-failed", on_failed)

    def on_map(_widget, _event):
        # Where the window really is (without a window manager: where it asked to be).
        def report():
            origin = window.get_window().get_origin()
            size = window.get_size()
            say(f"ready {origin.x} {origin.y} {size.width} {size.height}")
            return False

        GLib.idle_add(report)
        return False

    window.connect("map-event", on_map)
    window.connect("destroy", Gtk.main_quit)
    GLib.timeout_add_seconds(300, Gtk.main_quit)
    window.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
