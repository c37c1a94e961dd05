/// Fault control, Prometheus/Alertmanager clients, runbook parsing and the drill runner (to come).
public enum DrillKit {}
