/**
 * The studio's root: connects to the host, loads the settings, runs the first-run wizard
 * when it has not run, then starts the engine and shows the main window.
 */
import { Component, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ConnectionState, StudioHost } from '../host/index.ts';
import { ScreenChoiceDialog } from './capture/ScreenChoiceDialog.tsx';
import { ProgressStore, ProgressTray } from './feedback/progress.tsx';
import { messageOf, Toasts, ToastStore } from './feedback/toasts.tsx';
import { MainWindow } from './layout/MainWindow.tsx';
import { StudioContext } from './studio/context.tsx';
import { SettingsStore } from './studio/settings-store.ts';
import { useStore } from './studio/store.ts';
import { useStudioEngine } from './studio/use-studio-engine.ts';
import { addWizardCamera, type WizardCamera } from './wizard/first-camera.ts';
import { FirstRunWizard, type GoLiveChoice } from './wizard/FirstRunWizard.tsx';

export function App({ host }: { host: StudioHost }) {
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [settings, setSettings] = useState<SettingsStore | null>(null);
  const [error, setError] = useState<string | null>(null);
  const toasts = useMemo(() => new ToastStore(), []);
  const progress = useMemo(() => new ProgressStore(), []);

  useEffect(() => host.onConnectionChange(setConnection), [host]);
  useEffect(() => {
    if (connection !== 'open' || settings) return;
    let live = true;
    host.api.settings.get().then(
      (value) => live && setSettings(new SettingsStore(host, value)),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [host, connection, settings]);
  useEffect(() => () => settings?.dispose(), [settings]);

  return (
    <CrashBoundary>
      {settings ? (
        <Studio host={host} settings={settings} toasts={toasts} progress={progress} connection={connection} />
      ) : (
        <StartScreen
          message={
            error
              ? `The studio could not read its settings: ${error}`
              : connection === 'open'
                ? 'Reading settings…'
                : 'Connecting to the host…'
          }
        />
      )}
      {/* The desktop app's picker for getDisplayMedia() (a screen source, desktop audio): any time, not only in a dialog. */}
      <ScreenChoiceDialog host={host} />
      <Toasts store={toasts} />
      <ProgressTray store={progress} />
    </CrashBoundary>
  );
}

/** A fault in the UI shows what broke and a way back, instead of a blank window. */
class CrashBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error('the studio UI failed', error);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <StartScreen
        message={`Something in the studio's window failed: ${this.state.error.message}. Your scenes are saved; reload the window to carry on.`}
        alert
      >
        <button type="button" className="primary" onClick={() => location.reload()}>
          Reload
        </button>
      </StartScreen>
    );
  }
}

function Studio({
  host,
  settings,
  toasts,
  progress,
  connection,
}: {
  host: StudioHost;
  settings: SettingsStore;
  toasts: ToastStore;
  progress: ProgressStore;
  connection: ConnectionState;
}) {
  const setUp = useStore(settings, (value) => value.firstRun.completedAtMs !== null);
  const { studio, error } = useStudioEngine(host, settings, toasts, progress, setUp);
  // Where the wizard said to go live, applied through the studio's outputs once it runs.
  const goLiveChoice = useRef<GoLiveChoice | null>(null);
  // The camera the wizard allowed, put in the fresh scene once, as the studio first runs.
  const wizardCamera = useRef<WizardCamera | null>(null);
  useEffect(() => {
    const camera = wizardCamera.current;
    if (!studio || !camera) return;
    wizardCamera.current = null;
    addWizardCamera(studio, camera);
  }, [studio]);
  useEffect(() => {
    const choice = goLiveChoice.current;
    if (!studio || !choice) return;
    goLiveChoice.current = null;
    const api = studio.outputs.api;
    void (choice.kind === 'local-origin' ? api.startLocalOrigin() : api.saveDestination(choice.input)).catch((failure: unknown) =>
      toasts.error(choice.kind === 'local-origin' ? 'Hosting on this computer' : 'Adding the destination', failure),
    );
  }, [studio, toasts]);
  return (
    <>
      {studio ? (
        <StudioContext.Provider value={studio}>
          <MainWindow connection={connection} />
        </StudioContext.Provider>
      ) : (
        <StartScreen
          message={error ? `The studio engine could not start: ${error}` : setUp ? 'Starting the studio…' : 'Let’s set up the studio.'}
          alert={error !== null}
        >
          {error && (
            <button type="button" className="primary" onClick={() => location.reload()}>
              Try again
            </button>
          )}
        </StartScreen>
      )}
      {!setUp && (
        <FirstRunWizard
          host={host}
          settings={settings}
          toasts={toasts}
          progress={progress}
          onGoLiveChoice={(choice) => (goLiveChoice.current = choice)}
          onCameraChoice={(camera) => (wizardCamera.current = camera)}
        />
      )}
    </>
  );
}

/** What shows before the main window (or instead of it): the name, what is happening, and what to do. */
function StartScreen({ message, alert, children }: { message: string; alert?: boolean; children?: ReactNode }) {
  return (
    <div className="start-screen">
      <header className="titlebar">
        <h1 className="brand">Tally Studio</h1>
      </header>
      <main className="start-message">
        <div>
          <p role={alert ? 'alert' : 'status'}>{message}</p>
          {children}
        </div>
      </main>
    </div>
  );
}
