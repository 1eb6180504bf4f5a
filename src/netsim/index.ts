export {
  DelayLine,
  type DelayLineOptions,
  type DelayLineSink,
  Link,
  type Scheduler,
} from "./delay-line.js";
export {
  type DelayProxy,
  type DelayProxyConnection,
  type DelayProxyOptions,
  type DelayProxyStats,
  startDelayProxy,
} from "./delay-proxy.js";
export { makeSelfSignedCert, type SelfSignedCert, type SelfSignedCertOptions } from "./tls.js";
