"""行政执法协调监督平台: the platform a district government uses to supervise law enforcement."""
