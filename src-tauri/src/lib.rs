//! The desktop shell: registers commands and state; the work itself lives in osslite-core.

#[cfg(test)]
mod bindings;
mod chosen_paths;
mod commands;
mod error;
mod latest_only;
pub mod logging;
mod one_window;
mod state;

use osslite_core::profiles::{default_data_dir, ProfileStore};
use tauri::{Manager, Runtime};

pub use chosen_paths::{remember_dropped, ChosenPaths};
pub use commands::diagnostics::diagnostics_text;
pub use commands::preview::answer as preview_response;
pub use commands::transfers::TransferState;
pub use state::AppState;

/// Everything the app registers, shared by `run()` and by tests on `tauri::test::mock_builder()`.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    with_media_server(builder, state, commands::preview_http::MediaServer::bind())
}

fn with_media_server<R: Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
    media: commands::preview_http::MediaServer,
) -> tauri::Builder<R> {
    let transfers = commands::transfers::TransferState::new(state.data_dir.join("checkpoints"));
    let builder = chosen_paths::register(builder);
    let builder = builder.manage(commands::manage::ManageState::default());
    let builder = builder.manage(commands::search::SearchState::default());
    let builder = builder
        .manage(commands::preview::PreviewTokens::default())
        .manage(media)
        .register_asynchronous_uri_scheme_protocol(commands::preview::SCHEME, commands::preview::serve);
    builder.manage(state).manage(transfers).invoke_handler(tauri::generate_handler![
        commands::app_info,
        commands::profiles::profile_list,
        commands::profiles::profile_save,
        commands::profiles::profile_import_env,
        commands::profiles::profile_remove,
        commands::profile_draft::profile_test_unsaved,
        commands::session::session_open,
        commands::session::profile_test,
        commands::session::demo_profile_start,
        commands::browse::bucket_list,
        commands::browse::object_list_page,
        commands::browse::object_details,
        commands::browse::folder_create,
        commands::browse::objects_delete,
        commands::share::share_presign,
        commands::share::share_public_url,
        commands::share::clipboard_write,
        commands::share::content_type_guess,
        commands::export::export_preview,
        commands::export::export_csv,
        commands::export::export_cancel,
        commands::export::export_copy_urls,
        commands::transfers::transfer_upload,
        commands::transfers::transfer_download,
        commands::transfers::transfer_pause,
        commands::transfers::transfer_resume,
        commands::transfers::transfer_cancel,
        commands::transfers::transfer_list,
        commands::transfers::transfer_clear_finished,
        commands::transfers::transfer_set_jobs,
        commands::transfers::transfer_unfinished,
        commands::transfers::transfer_restore,
        commands::transfers::transfer_discard,
        commands::transfers::pick_files,
        commands::transfers::pick_folder,
        commands::diagnostics::log_folder_open,
        commands::diagnostics::diagnostics_copy,
        commands::about::about_info,
        commands::about::project_page_open,
        commands::files::download_folder,
        commands::files::download_folder_choose,
        commands::files::download_folder_reset,
        commands::files::local_existing,
        commands::files::path_open,
        commands::files::path_reveal,
        commands::manage::manage_start,
        commands::manage::manage_failures,
        commands::manage::manage_meta_preview,
        commands::manage::manage_size,
        commands::manage::manage_size_cancel,
        commands::manage::object_headers,
        commands::manage::bucket_create,
        commands::manage::bucket_delete,
        commands::manage::bucket_details,
        commands::preview::preview_open,
        commands::preview::preview_text,
        commands::search::search_run,
        commands::search::search_cancel,
        commands::address::resolve_address,
        commands::versions::versioning_get,
        commands::versions::versioning_set,
        commands::versions::versions_list,
        commands::versions::version_download,
        commands::versions::version_restore,
        commands::versions::version_delete,
        commands::versions::deleted_list,
        commands::versions::deleted_restore,
    ])
}

/// Quitting pauses every transfer; their checkpoints (saved at most 200 ms apart) let the next start
/// offer them again.
fn pause_transfers_on_exit<R: Runtime>(app: &tauri::AppHandle<R>, event: tauri::RunEvent) {
    if let tauri::RunEvent::Exit = event {
        if let Some(transfers) = app.try_state::<TransferState>() {
            tracing::info!("OSS Lite quits: pausing every transfer");
            transfers.manager().pause_all();
        }
    }
}

/// The CSP allows media and frames from the media preview server's port only (or from no port
/// when it could not bind).
fn narrow_csp(context: &mut tauri::Context<tauri::Wry>, media: &commands::preview_http::MediaServer) {
    use tauri::utils::config::Csp;
    let origin = media.origin().unwrap_or_default();
    if let Some(Csp::Policy(policy)) = &mut context.config_mut().app.security.csp {
        *policy = commands::preview_http::csp_for_origin(policy, &origin);
    }
}

/// Logging starts first, so that a failure to start is in the log too.
pub fn run() {
    let mut context = tauri::generate_context!();
    let media = commands::preview_http::MediaServer::bind();
    narrow_csp(&mut context, &media);
    let logs = logging::os_log_dir(&context.config().identifier)
        .and_then(|dir| logging::start(&dir, &logging::filter_from_env()))
        .unwrap_or_else(|err| {
            eprintln!("OSS Lite runs without a log file: {err}");
            logging::Logs::off()
        });
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "OSS Lite starts");
    let result = ProfileStore::open_default()
        .and_then(|profiles| Ok((profiles, default_data_dir()?)))
        .map_err(|err| err.to_string())
        .and_then(|(profiles, data_dir)| {
            let app = with_media_server(
                one_window::register(tauri::Builder::default()),
                AppState::new(profiles, data_dir).with_logs(logs),
                media,
            )
            .build(context)
            .map_err(|err| err.to_string())?;
            app.run(pause_transfers_on_exit);
            Ok(())
        });
    if let Err(err) = result {
        tracing::error!(error = %err, "OSS Lite could not start");
        eprintln!("OSS Lite could not start: {err}");
        std::process::exit(1);
    }
}
