// ONVIF PTZ service (ver20/ptz/wsdl) over PtzState, generic spaces only.
import type { PtzVector } from '../ptz/ptz-state';
import { MAX_PRESETS } from '../ptz/ptz-state';
import { PTZ_NODE_TOKEN, type OnvifDevice } from './device';
import { ptzConfigurationXml } from './media-service';
import { faults } from './soap';
import type { ServiceHandlers } from './service';
import { attr, child, escapeXml as x, text, type XmlNode } from './xml';

const SPACES = 'http://www.onvif.org/ver10/tptz';

function ptz(dev: OnvifDevice): NonNullable<OnvifDevice['ptz']> {
  if (!dev.ptz) throw faults.actionNotSupported('PTZ');
  return dev.ptz;
}

function num(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw faults.invalidArg('InvalidPosition', `${what} is not a number`);
  return n;
}

/** Reads <PanTilt x y/> and <Zoom x/> under `node`; checks ranges when given. */
function vector(node: XmlNode | undefined, ranges?: { pan: [number, number]; zoom: [number, number] }): Partial<PtzVector> {
  const pt = child(node, 'PanTilt');
  const z = child(node, 'Zoom');
  const v: Partial<PtzVector> = { pan: num(attr(pt, 'x'), 'pan'), tilt: num(attr(pt, 'y'), 'tilt'), zoom: num(attr(z, 'x'), 'zoom') };
  if (ranges) {
    const bad = (n: number | undefined, [lo, hi]: [number, number]): boolean => n !== undefined && (n < lo || n > hi);
    if (bad(v.pan, ranges.pan) || bad(v.tilt, ranges.pan) || bad(v.zoom, ranges.zoom)) throw faults.invalidArg('InvalidPosition', 'position outside the generic space');
  }
  return v;
}

function positionXml(p: PtzVector): string {
  return `<tt:PanTilt x="${p.pan.toFixed(4)}" y="${p.tilt.toFixed(4)}" space="${SPACES}/PanTiltSpaces/PositionGenericSpace"/><tt:Zoom x="${p.zoom.toFixed(4)}" space="${SPACES}/ZoomSpaces/PositionGenericSpace"/>`;
}

/** xs:duration such as PT5S or PT1.5S, in ms. */
function durationMs(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const m = /^PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(v.trim());
  if (!m || (!m[1] && !m[2])) throw faults.invalidArg('InvalidTimeout', `bad timeout ${v}`);
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000;
}

const range = (lo: number, hi: number): string => `<tt:Min>${lo}</tt:Min><tt:Max>${hi}</tt:Max>`;

export const ptzService: ServiceHandlers = {
  GetNodes: (dev) => {
    ptz(dev);
    const space = (tag: string, uri: string, xr: string, yr?: string): string =>
      `<tt:${tag}><tt:URI>${SPACES}/${uri}</tt:URI><tt:XRange>${xr}</tt:XRange>${yr ? `<tt:YRange>${yr}</tt:YRange>` : ''}</tt:${tag}>`;
    return (
      `<tptz:GetNodesResponse><tptz:PTZNode token="${PTZ_NODE_TOKEN}" FixedHomePosition="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>` +
      space('AbsolutePanTiltPositionSpace', 'PanTiltSpaces/PositionGenericSpace', range(-1, 1), range(-1, 1)) +
      space('AbsoluteZoomPositionSpace', 'ZoomSpaces/PositionGenericSpace', range(0, 1)) +
      space('RelativePanTiltTranslationSpace', 'PanTiltSpaces/TranslationGenericSpace', range(-1, 1), range(-1, 1)) +
      space('RelativeZoomTranslationSpace', 'ZoomSpaces/TranslationGenericSpace', range(-1, 1)) +
      space('ContinuousPanTiltVelocitySpace', 'PanTiltSpaces/VelocityGenericSpace', range(-1, 1), range(-1, 1)) +
      space('ContinuousZoomVelocitySpace', 'ZoomSpaces/VelocityGenericSpace', range(-1, 1)) +
      space('PanTiltSpeedSpace', 'PanTiltSpaces/GenericSpeedSpace', range(0, 1)) +
      space('ZoomSpeedSpace', 'ZoomSpaces/ZoomGenericSpeedSpace', range(0, 1)) +
      `</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>${MAX_PRESETS}</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode></tptz:GetNodesResponse>`
    );
  },
  GetConfigurations: (dev) => {
    ptz(dev);
    return `<tptz:GetConfigurationsResponse>${ptzConfigurationXml('tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
  },
  GetStatus: (dev) => {
    const s = ptz(dev);
    const m = s.moving();
    return (
      `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>${positionXml(s.position())}</tt:Position>` +
      `<tt:MoveStatus><tt:PanTilt>${m.panTilt ? 'MOVING' : 'IDLE'}</tt:PanTilt><tt:Zoom>${m.zoom ? 'MOVING' : 'IDLE'}</tt:Zoom></tt:MoveStatus>` +
      `<tt:UtcTime>${new Date(dev.now()).toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
    );
  },
  AbsoluteMove: (dev, body) => {
    ptz(dev).absoluteMove(vector(child(body, 'Position'), { pan: [-1, 1], zoom: [0, 1] }));
    return '<tptz:AbsoluteMoveResponse/>';
  },
  RelativeMove: (dev, body) => {
    ptz(dev).relativeMove(vector(child(body, 'Translation'), { pan: [-2, 2], zoom: [-1, 1] }));
    return '<tptz:RelativeMoveResponse/>';
  },
  ContinuousMove: (dev, body) => {
    ptz(dev).continuousMove(vector(child(body, 'Velocity'), { pan: [-1, 1], zoom: [-1, 1] }), durationMs(text(body, 'Timeout')));
    return '<tptz:ContinuousMoveResponse/>';
  },
  Stop: (dev, body) => {
    const flag = (name: string): boolean => (text(body, name) ?? 'true') !== 'false';
    ptz(dev).stop(flag('PanTilt'), flag('Zoom'));
    return '<tptz:StopResponse/>';
  },
  GetPresets: (dev) =>
    `<tptz:GetPresetsResponse>${ptz(dev)
      .listPresets()
      .map((p) => `<tptz:Preset token="${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:PTZPosition>${positionXml(p.position)}</tt:PTZPosition></tptz:Preset>`)
      .join('')}</tptz:GetPresetsResponse>`,
  SetPreset: (dev, body) => {
    const name = text(body, 'PresetName');
    if (name && name.length > 64) throw faults.invalidArg('InvalidPresetName', 'preset name too long');
    const token = ptz(dev).setPreset(name, text(body, 'PresetToken') || undefined);
    if (!token) throw faults.invalidArg('TooManyPresets', 'no such preset token, or the preset table is full');
    return `<tptz:SetPresetResponse><tptz:PresetToken>${x(token)}</tptz:PresetToken></tptz:SetPresetResponse>`;
  },
  GotoPreset: (dev, body) => {
    if (!ptz(dev).gotoPreset(text(body, 'PresetToken') ?? '')) throw faults.invalidArg('NoToken', 'no such preset');
    return '<tptz:GotoPresetResponse/>';
  },
  RemovePreset: (dev, body) => {
    if (!ptz(dev).removePreset(text(body, 'PresetToken') ?? '')) throw faults.invalidArg('NoToken', 'no such preset');
    return '<tptz:RemovePresetResponse/>';
  },
  GotoHomePosition: (dev) => {
    ptz(dev).gotoPreset('1');
    return '<tptz:GotoHomePositionResponse/>';
  },
};
