/// The state behind ``PipelineResults``: polls `consume` with back-off, numbers gaps, stops the pipeline.
actor PipelineConsumer {
    let client: InferenceHTTPClient
    let pipelineID: String
    let options: PipelineConsumeOptions
    private(set) var statistics = PipelineConsumptionStatistics()
    private var pending: [PipelineFrame] = []
    private var interval: Duration
    private var lastProgress: ContinuousClock.Instant?
    private var sourceInfoRead = false
    private var terminationSent = false

    init(client: InferenceHTTPClient, pipelineID: String, options: PipelineConsumeOptions) {
        self.client = client
        self.pipelineID = pipelineID
        self.options = options
        self.interval = options.minimumPollInterval
    }

    func next() async throws(InferenceError) -> PipelineFrame? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if statistics.end != nil { return nil }
            if Task.isCancelled { throw await cancelled() }
            let now = ContinuousClock.now
            if lastProgress == nil { lastProgress = now }
            if let idle = options.idleTimeout, let lastProgress, now - lastProgress > idle {
                await stop(reason: .idleTimeout)
                throw InferenceError(.timeout, "no frame from pipeline \(pipelineID) within \(idle.formattedSeconds); it was \(options.terminateWhenStopped ? "terminated" : "left running")")
            }
            let frames: [PipelineFrame]
            do {
                statistics.consumeCalls += 1
                frames = try await client.consumeOnce(pipelineID, excludedFields: options.excludedFields, timeout: options.requestTimeout)
            } catch {
                if statistics.end != nil { return nil }  // stopped meanwhile
                if error.pipelineErrorKind == .notFound {
                    finish(.pipelineEnded)
                    return nil
                }
                if error.kind == .cancelled || Task.isCancelled { throw await cancelled() }
                // A manager error while the pipeline is being torn down: ended if the manager no longer lists it.
                if error.pipelineErrorKind != nil, error.pipelineErrorKind != .managerUnreachable,
                   let running = try? await client.listPipelines(), !running.contains(pipelineID) {
                    finish(.pipelineEnded)
                    return nil
                }
                statistics.end = .failed
                throw error
            }
            if statistics.end != nil { return nil }
            if frames.isEmpty {
                statistics.emptyPolls += 1
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    throw await cancelled()
                }
                interval = min(interval * 2, options.maximumPollInterval)
                continue
            }
            interval = options.minimumPollInterval
            lastProgress = .now
            for var frame in frames {
                let source = frame.sourceID ?? 0
                let previous = statistics.lastFrameIDs[source] ?? 0
                frame.droppedBefore = max(0, frame.frameID - previous - 1)
                statistics.framesDropped += frame.droppedBefore
                statistics.lastFrameIDs[source] = max(previous, frame.frameID)
                statistics.framesReceived += 1
                pending.append(frame)
            }
            if options.readSourceInfo, !sourceInfoRead {
                sourceInfoRead = true
                await readSourceInfo()
            }
        }
    }

    /// Ends consumption and, unless the pipeline has ended by itself, terminates it (once) when the options say so.
    func stop(reason: PipelineConsumptionStatistics.End) async {
        if statistics.end == nil { statistics.end = reason }
        pending.removeAll()
        guard options.terminateWhenStopped, !terminationSent, statistics.end != .pipelineEnded else { return }
        terminationSent = true
        let client = self.client
        let id = pipelineID
        // A detached task: the consuming task may be cancelled, which would cancel the request itself.
        await Task.detached { try? await client.terminatePipeline(id) }.value
    }

    /// Called when the iterator is released: stops the pipeline unless it has ended.
    func abandon() async {
        await stop(reason: .stopped)
    }

    private func cancelled() async -> InferenceError {
        await stop(reason: .cancelled)
        return InferenceError(
            .cancelled,
            "consuming pipeline \(pipelineID) was cancelled\(options.terminateWhenStopped ? "; the pipeline was terminated" : "")"
        )
    }

    private func finish(_ reason: PipelineConsumptionStatistics.End) {
        statistics.end = reason
        var lost = 0
        var known = false
        for (source, total) in statistics.totalFrames {
            known = true
            lost += max(0, total - (statistics.lastFrameIDs[source] ?? 0))
        }
        statistics.framesLostAtEnd = known ? lost : nil
    }

    private func readSourceInfo() async {
        guard let status = try? await client.pipelineStatus(pipelineID) else { return }
        for (index, source) in status.sources.enumerated() where source.isFile == true {
            if let total = source.totalFrames { statistics.totalFrames[source.id ?? index] = total }
        }
    }
}
