// A service is a table of SOAP actions; handlers return the response body XML or throw a SoapFault.
import type { OnvifDevice } from './device';
import type { XmlNode } from './xml';

export type ServiceHandler = (dev: OnvifDevice, body: XmlNode) => string;
export type ServiceHandlers = Record<string, ServiceHandler>;
