/** Region and credentials the console signs its requests with (SigV4). */
import { useState } from 'preact/hooks';
import { loadSettings, saveSettings } from '../client.js';
import { Field, Notice } from '../ui.js';

export function SettingsView() {
  const [settings, setSettings] = useState(loadSettings);
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<typeof settings>) => { setSettings({ ...settings, ...patch }); setSaved(false); };
  return (
    <section>
      <h1 tabIndex={-1}>Settings</h1>
      <p>
        The console signs every request with these credentials (AWS Signature Version 4), like any SDK.
        While the server does not check signatures, any access key works.
      </p>
      <form onSubmit={(e) => { e.preventDefault(); saveSettings(settings); setSaved(true); }}>
        <Field label="Region">{(id) => <input id={id} required value={settings.region} onInput={(e) => set({ region: e.currentTarget.value })} />}</Field>
        <Field label="Access key ID">{(id) => <input id={id} required autoComplete="username" value={settings.accessKeyId} onInput={(e) => set({ accessKeyId: e.currentTarget.value })} />}</Field>
        <Field label="Secret access key">{(id) => <input id={id} required type="password" autoComplete="current-password" value={settings.secretAccessKey} onInput={(e) => set({ secretAccessKey: e.currentTarget.value })} />}</Field>
        <Field label="Session token" hint="Optional">{(id) => <input id={id} value={settings.sessionToken ?? ''} onInput={(e) => set({ sessionToken: e.currentTarget.value || undefined })} />}</Field>
        <button type="submit" class="primary">Save settings</button>
      </form>
      {saved && <Notice>Saved in this browser.</Notice>}
    </section>
  );
}
