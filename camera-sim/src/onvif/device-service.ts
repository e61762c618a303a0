// ONVIF Device service (ver10/device/wsdl): identity, clock, capabilities, services, scopes, network.
import { scopes, SERVICE_PATHS } from './device';
import { escapeXml as x } from './xml';
import { NS } from './soap';
import type { ServiceHandlers } from './service';

export const deviceService: ServiceHandlers = {
  GetSystemDateAndTime: (dev) => {
    const utc = new Date(dev.now());
    const local = new Date(dev.now() + 8 * 3600_000);
    const dt = (d: Date): string =>
      `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
      `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`;
    return (
      `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
      `<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone><tt:UTCDateTime>${dt(utc)}</tt:UTCDateTime><tt:LocalDateTime>${dt(local)}</tt:LocalDateTime>` +
      `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`
    );
  },
  GetDeviceInformation: (dev) =>
    `<tds:GetDeviceInformationResponse><tds:Manufacturer>${x(dev.manufacturer)}</tds:Manufacturer><tds:Model>${x(dev.model)}</tds:Model>` +
    `<tds:FirmwareVersion>${x(dev.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${x(dev.serial)}</tds:SerialNumber>` +
    `<tds:HardwareId>${x(dev.hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>`,
  GetCapabilities: (dev) =>
    `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
    `<tt:Device><tt:XAddr>${dev.baseUrl}${SERVICE_PATHS.device}</tt:XAddr><tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration><tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
    `<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
    `<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>5</tt:Minor></tt:SupportedVersions></tt:System>` +
    `<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration><tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>` +
    `<tt:Media><tt:XAddr>${dev.baseUrl}${SERVICE_PATHS.media}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
    (dev.ptz ? `<tt:PTZ><tt:XAddr>${dev.baseUrl}${SERVICE_PATHS.ptz}</tt:XAddr></tt:PTZ>` : '') +
    `</tds:Capabilities></tds:GetCapabilitiesResponse>`,
  GetServices: (dev, body) => {
    const withCaps = String(body.IncludeCapability ?? 'false') === 'true';
    const svc = (ns: string, path: string, caps: string): string =>
      `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${dev.baseUrl}${path}</tds:XAddr>` +
      (withCaps ? `<tds:Capabilities>${caps}</tds:Capabilities>` : '') +
      `<tds:Version><tt:Major>2</tt:Major><tt:Minor>5</tt:Minor></tds:Version></tds:Service>`;
    return (
      `<tds:GetServicesResponse>` +
      svc(NS.tds, SERVICE_PATHS.device, `<tds:Capabilities><tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/><tds:Security UsernameToken="true" HttpDigest="false"/><tds:System DiscoveryBye="true"/></tds:Capabilities>`) +
      svc(NS.trt, SERVICE_PATHS.media, `<trt:Capabilities SnapshotUri="true" Rotation="false"><trt:ProfileCapabilities MaximumNumberOfProfiles="${dev.profiles.length}"/><trt:StreamingCapabilities RTPMulticast="false" RTP_TCP="true" RTP_RTSP_TCP="true"/></trt:Capabilities>`) +
      (dev.ptz ? svc(NS.tptz, SERVICE_PATHS.ptz, `<tptz:Capabilities EFlip="false" Reverse="false" GetCompatibleConfigurations="false"/>`) : '') +
      `</tds:GetServicesResponse>`
    );
  },
  GetScopes: (dev) =>
    `<tds:GetScopesResponse>${scopes(dev)
      .map((s) => `<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>${x(s)}</tt:ScopeItem></tds:Scopes>`)
      .join('')}</tds:GetScopesResponse>`,
  GetNetworkInterfaces: (dev) =>
    `<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>` +
    `<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>${dev.mac}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
    `<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>${x(dev.host)}</tt:Address><tt:PrefixLength>8</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>` +
    `</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`,
  GetHostname: (dev) =>
    `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP><tt:Name>${x(dev.serial.toLowerCase())}</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`,
};
