export { createServer, listen, type ListenOptions, type ServerDeps } from './server.js';
export { authFor, isLoopback, type AuthConfig } from './auth.js';
export { ControllerMetrics, DEFAULT_DURATION_BUCKETS, type ControllerMetricsOptions, type HistogramSnapshot, type MetricsSnapshot, type MetricsSource } from './metrics.js';
