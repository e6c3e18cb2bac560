public import OrchestraConfig
import OrchestraRedis

extension OrchestraConfiguration {
    /// The scheduler's settings for this configuration: keys, retention, event stream caps.
    public var schedulerSettings: SchedulerSettings {
        var settings = SchedulerSettings(keys: KeySchema(prefix: keyPrefix, shardCount: shards))
        settings.retention = .seconds(workflowRetentionSeconds)
        settings.workflowEventLimit = eventStreamMaxLength
        settings.clusterEventLimit = clusterEventsMaxLength
        if redisWaitReplicas > 0 {
            settings.submitAcknowledgement = ReplicaAcknowledgement(
                replicas: redisWaitReplicas, timeout: .milliseconds(redisWaitTimeoutMilliseconds))
        }
        return settings
    }
}
