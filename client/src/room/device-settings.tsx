import { Room } from 'livekit-client';
import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';
import type { RoomConnection } from './room-connection';

type Kind = 'videoinput' | 'audioinput' | 'audiooutput';

const LABEL: Record<Kind, MessageKey> = {
  videoinput: 'devices.camera',
  audioinput: 'devices.microphone',
  audiooutput: 'devices.speaker',
};

/** Chromium can pick where audio plays; other browsers play through the system default only. */
const canPickSpeaker = () => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * In-room device pickers: switching moves the live track to the new device (no rejoin), and later
 * captures (a camera turned on again, a rejoin) use it too. Lists are read without asking for permission
 * again; they refresh when devices are plugged in or out.
 */
export function DeviceSettings({ conn, kinds }: { conn: RoomConnection; kinds: Kind[] }) {
  const [devices, setDevices] = useState<Partial<Record<Kind, MediaDeviceInfo[]>>>({});
  const [error, setError] = useState<string>();
  const shown = kinds.filter((k) => k !== 'audiooutput' || canPickSpeaker());

  useEffect(() => {
    const load = () =>
      Promise.all(shown.map(async (kind) => [kind, await Room.getLocalDevices(kind, false)] as const)).then(
        (lists) => setDevices(Object.fromEntries(lists.map(([k, l]) => [k, l.filter((d) => d.deviceId)]))),
        () => setError(t('devices.listFailed')),
      );
    void load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', load);
  }, [conn]);

  const change = async (kind: Kind, deviceId: string) => {
    setError(undefined);
    try {
      await conn.media.switchDevice(kind, deviceId);
      setDevices((d) => ({ ...d }));
    } catch {
      setError(t('devices.switchFailed'));
    }
  };

  return (
    <div class="device-settings" role="group" aria-label={t('devices.heading')}>
      {shown.map((kind) => {
        const list = devices[kind] ?? [];
        if (list.length === 0) return null;
        const id = `device-${kind}`;
        return (
          <div class="field" key={kind}>
            <label for={id}>{t(LABEL[kind])}</label>
            <select
              id={id}
              value={conn.media.activeDevice(kind) ?? ''}
              onChange={(e) => void change(kind, e.currentTarget.value)}
            >
              {list.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('devices.unnamed', { number: i + 1 })}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
