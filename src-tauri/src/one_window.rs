//! One window, where the user left it: a second start of the app focuses the running window and
//! exits (it would otherwise write the same `profiles.toml`), and the window's size, position and
//! maximised state come back on the next start. Registered by `run()` only: tests on
//! `mock_builder()` start many apps in one process.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_window_state::StateFlags;

/// Single-instance comes first, so that a second process exits before any other plugin starts.
pub fn register<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| focus_main_window(app))).plugin(
        tauri_plugin_window_state::Builder::default()
            .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
            .build(),
    )
}

fn focus_main_window<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("a second start of OSS Lite: focusing the running window instead");
    let Some(window) = app.get_webview_window("main") else { return };
    let shown = window.unminimize().and_then(|()| window.show()).and_then(|()| window.set_focus());
    if let Err(err) = shown {
        tracing::warn!(error = %err, "could not bring the window to the front");
    }
}
