// ONVIF Media service (ver10/media/wsdl): a main and a sub profile on one video source.
import { PTZ_CONFIG_TOKEN, PTZ_NODE_TOKEN, VIDEO_SOURCE_TOKEN, type MediaProfile, type OnvifDevice } from './device';
import { faults } from './soap';
import type { ServiceHandlers } from './service';
import { child, escapeXml as x, text, type XmlNode } from './xml';

const SPACES = 'http://www.onvif.org/ver10/tptz';

export function ptzConfigurationXml(tag: string): string {
  return (
    `<${tag} token="${PTZ_CONFIG_TOKEN}"><tt:Name>PTZ</tt:Name><tt:UseCount>2</tt:UseCount><tt:NodeToken>${PTZ_NODE_TOKEN}</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>${SPACES}/PanTiltSpaces/PositionGenericSpace</tt:DefaultAbsolutePantTiltPositionSpace>` +
    `<tt:DefaultAbsoluteZoomPositionSpace>${SPACES}/ZoomSpaces/PositionGenericSpace</tt:DefaultAbsoluteZoomPositionSpace>` +
    `<tt:DefaultRelativePanTiltTranslationSpace>${SPACES}/PanTiltSpaces/TranslationGenericSpace</tt:DefaultRelativePanTiltTranslationSpace>` +
    `<tt:DefaultRelativeZoomTranslationSpace>${SPACES}/ZoomSpaces/TranslationGenericSpace</tt:DefaultRelativeZoomTranslationSpace>` +
    `<tt:DefaultContinuousPanTiltVelocitySpace>${SPACES}/PanTiltSpaces/VelocityGenericSpace</tt:DefaultContinuousPanTiltVelocitySpace>` +
    `<tt:DefaultContinuousZoomVelocitySpace>${SPACES}/ZoomSpaces/VelocityGenericSpace</tt:DefaultContinuousZoomVelocitySpace>` +
    `<tt:DefaultPTZSpeed><tt:PanTilt x="1" y="1" space="${SPACES}/PanTiltSpaces/GenericSpeedSpace"/><tt:Zoom x="1" space="${SPACES}/ZoomSpaces/ZoomGenericSpeedSpace"/></tt:DefaultPTZSpeed>` +
    `<tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>` +
    `<tt:PanTiltLimits><tt:Range><tt:URI>${SPACES}/PanTiltSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>${SPACES}/ZoomSpaces/PositionGenericSpace</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits>` +
    `</${tag}>`
  );
}

function sourceSize(dev: OnvifDevice): { width: number; height: number } {
  return dev.profiles.reduce((a, p) => (p.width > a.width ? { width: p.width, height: p.height } : a), { width: 0, height: 0 });
}

function profileXml(dev: OnvifDevice, p: MediaProfile, i: number): string {
  const src = sourceSize(dev);
  return (
    `<trt:Profiles token="${x(p.token)}" fixed="true"><tt:Name>${x(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="VideoSourceConfig_1"><tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>${dev.profiles.length}</tt:UseCount>` +
    `<tt:SourceToken>${VIDEO_SOURCE_TOKEN}</tt:SourceToken><tt:Bounds x="0" y="0" width="${src.width}" height="${src.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="VideoEncoder_${i + 1}"><tt:Name>VideoEncoder_${i + 1}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${p.bitrateKbps}</tt:BitrateLimit></tt:RateControl>` +
    `<tt:H264><tt:GovLength>25</tt:GovLength><tt:H264Profile>${p.h264Profile}</tt:H264Profile></tt:H264>` +
    `<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>0</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>` +
    `<tt:SessionTimeout>PT${dev.sessionTimeoutSec}S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
    (dev.ptz ? ptzConfigurationXml('tt:PTZConfiguration') : '') +
    `</trt:Profiles>`
  );
}

function findProfile(dev: OnvifDevice, body: XmlNode): MediaProfile {
  const token = text(body, 'ProfileToken');
  const p = dev.profiles.find((pr) => pr.token === token);
  if (!p) throw faults.invalidArg('NoProfile', `no profile "${token ?? ''}"`);
  return p;
}

function mediaUri(uri: string, timeoutSec: number): string {
  return `<trt:MediaUri><tt:Uri>${x(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT${timeoutSec}S</tt:Timeout></trt:MediaUri>`;
}

export const mediaService: ServiceHandlers = {
  GetProfiles: (dev) => `<trt:GetProfilesResponse>${dev.profiles.map((p, i) => profileXml(dev, p, i)).join('')}</trt:GetProfilesResponse>`,
  GetProfile: (dev, body) => {
    const p = findProfile(dev, body);
    return `<trt:GetProfileResponse>${profileXml(dev, p, dev.profiles.indexOf(p)).replace(/trt:Profiles/g, 'trt:Profile')}</trt:GetProfileResponse>`;
  },
  GetVideoSources: (dev) => {
    const s = sourceSize(dev);
    return `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE_TOKEN}"><tt:Framerate>25</tt:Framerate><tt:Resolution><tt:Width>${s.width}</tt:Width><tt:Height>${s.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
  },
  GetStreamUri: (dev, body) => {
    const p = findProfile(dev, body);
    const setup = child(body, 'StreamSetup');
    const stream = text(setup, 'Stream') ?? 'RTP-Unicast';
    const protocol = text(child(setup, 'Transport'), 'Protocol') ?? 'RTSP';
    if (stream !== 'RTP-Unicast') throw faults.invalidArg('InvalidStreamSetup', `stream type ${stream} is not supported (RTP-Unicast only)`);
    if (!['UDP', 'TCP', 'RTSP'].includes(protocol)) throw faults.invalidArg('InvalidStreamSetup', `transport ${protocol} is not supported`);
    return `<trt:GetStreamUriResponse>${mediaUri(p.rtspUrl, dev.sessionTimeoutSec)}</trt:GetStreamUriResponse>`;
  },
  GetSnapshotUri: (dev, body) => `<trt:GetSnapshotUriResponse>${mediaUri(findProfile(dev, body).snapshotUrl, 0)}</trt:GetSnapshotUriResponse>`,
};
