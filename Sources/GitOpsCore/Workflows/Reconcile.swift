import Foundation

/// How `reconcile` asks and waits.
public struct ReconcileOptions: Sendable {
    /// Reconcile the source chain first (`--with-source`).
    public var withSource = false
    /// HelmRelease only: a one-off install/upgrade (`--force`) and zeroed failure counts (`--reset`).
    public var force = false
    public var reset = false
    /// Keep waiting through `Ready=False` until success or the deadline, as flux does.
    public var waitForRetry = false
    /// Seconds for the whole command, the source chain included.
    public var timeout: Double = 300

    public init() {}
}

/// The result for one object: the revision applied or fetched, or why it failed.
public struct ReconcileResult: Sendable, Equatable {
    public var kind: FluxKind
    public var name: String
    public var namespace: String
    public var revision: String
    /// The flux-style line (`applied revision main@sha1:…`) or the failure.
    public var message: String
    public var succeeded: Bool

    public var reference: String { "\(kind.kind)/\(namespace)/\(name)" }

    public init(kind: FluxKind, name: String, namespace: String, revision: String, message: String, succeeded: Bool) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.revision = revision
        self.message = message
        self.succeeded = succeeded
    }
}

/// `reconcile` the Flux way: annotate the object with `reconcile.fluxcd.io/requestedAt`, wait for
/// its controller to handle that request and decide Ready, report the revision (flux2
/// `cmd/flux/reconcile.go` and `reconcile_with_source.go`).
public struct Reconciler: Sendable {
    public let client: KubeClient
    public let events: WorkflowEvents
    var requestToken: @Sendable () -> String = { ReconcileRequestedAt.now() }

    public init(client: KubeClient, events: @escaping WorkflowEvents = { _ in }) {
        self.client = client
        self.events = events
    }

    /// Reconciles one object (and, with `withSource`, its sources first).
    public func reconcile(_ kind: FluxKind, name: String, namespace: String,
                          options: ReconcileOptions) async throws(ReconcileError) -> ReconcileResult {
        let deadline = ReconcileDeadline(seconds: options.timeout)
        let object = try await fetch(kind, name: name, namespace: namespace)
        return try await reconcile(kind, object, options: options, withSource: options.withSource, deadline: deadline)
    }

    /// Reconciles every unsuspended object of `kind` in `namespace` (nil: all namespaces)
    /// concurrently; one failure does not stop the others. Results are sorted by namespace and name.
    public func reconcileAll(_ kind: FluxKind, namespace: String?,
                             options: ReconcileOptions) async throws(ReconcileError) -> [ReconcileResult] {
        let objects: [KubeObject]
        do { objects = try await client.list(kind.groupVersionKind, namespace: namespace).items } catch {
            throw .cluster(error)
        }
        guard !objects.isEmpty else {
            throw .noObjects(kind: kind.kind, scope: namespace.map { "\($0) namespace" } ?? "any namespace")
        }
        // A suspended object is one the user parked on purpose: --all leaves it alone and says so,
        // instead of failing the whole run over it.
        for object in objects where Suspension.isSuspended(object) {
            events(.warning("\(kind.kind)/\(object.namespace ?? "")/\(object.name) is suspended; skipped"))
        }
        let active = objects.filter { !Suspension.isSuspended($0) }
        let deadline = ReconcileDeadline(seconds: options.timeout)
        let results = await withTaskGroup(of: ReconcileResult.self) { group in
            for object in active {
                group.addTask {
                    do {
                        return try await reconcile(kind, object, options: options, withSource: options.withSource,
                                                   deadline: deadline)
                    } catch {
                        events(.failure(String(describing: error)))
                        return ReconcileResult(kind: kind, name: object.name, namespace: object.namespace ?? "",
                                               revision: "", message: String(describing: error), succeeded: false)
                    }
                }
            }
            var collected: [ReconcileResult] = []
            for await result in group { collected.append(result) }
            return collected
        }
        return results.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    private func reconcile(_ kind: FluxKind, _ object: KubeObject, options: ReconcileOptions, withSource: Bool,
                           deadline: ReconcileDeadline) async throws(ReconcileError) -> ReconcileResult {
        let behaviour = kind.behaviour
        let namespace = object.namespace ?? ""
        guard behaviour.isReconcilable(object) else {
            events(.success("reconciliation not supported by the object"))
            return ReconcileResult(kind: kind, name: object.name, namespace: namespace, revision: "",
                                   message: behaviour.successMessage(object), succeeded: true)
        }
        if Suspension.isSuspended(object) { throw .suspended(object: "\(kind.kind)/\(namespace)/\(object.name)") }
        if withSource {
            for source in try behaviour.sources(of: object) {
                let sourceObject = try await fetch(source.kind, name: source.name, namespace: source.namespace)
                // A HelmChart is always reconciled with its own source, as flux2 does for the HR hop.
                _ = try await reconcile(source.kind, sourceObject, options: options,
                                        withSource: source.kind == .helmChart, deadline: deadline)
            }
        }
        let token = try await request(kind, object, options: options)
        let final = try await waitForOutcome(kind, name: object.name, namespace: namespace, token: token,
                                             waitForRetry: options.waitForRetry, deadline: deadline)
        let line = behaviour.successMessage(final)
        events(.success(line))
        return ReconcileResult(kind: kind, name: object.name, namespace: namespace,
                               revision: behaviour.revision(final), message: line, succeeded: true)
    }

    /// Sets the request annotations with a merge patch that touches only them, as flux2 does
    /// (no resourceVersion, so a concurrent status update cannot make it conflict).
    private func request(_ kind: FluxKind, _ object: KubeObject,
                         options: ReconcileOptions) async throws(ReconcileError) -> String {
        let token = requestToken()
        var annotations: [(key: String, value: KubeJSON)] = [(ReconcileRequestedAt.annotation, .string(token))]
        if kind == .helmRelease, options.force { annotations.append((ReconcileRequestedAt.forceAnnotation, .string(token))) }
        if kind == .helmRelease, options.reset { annotations.append((ReconcileRequestedAt.resetAnnotation, .string(token))) }
        let namespace = object.namespace ?? ""
        events(.action("annotating \(kind.kind) \(object.name) in \(namespace) namespace"))
        do {
            _ = try await client.patch(kind.groupVersionKind, name: object.name, namespace: namespace,
                                       .merge(.object([("metadata", .object([("annotations", .object(annotations))]))])))
        } catch {
            throw .cluster(error)
        }
        events(.success("\(kind.kind) annotated"))
        return token
    }

    /// Waits until the outcome is decided; nil token waits for a new generation instead.
    func waitForOutcome(_ kind: FluxKind, name: String, namespace: String, token: String?, waitForRetry: Bool,
                        deadline: ReconcileDeadline) async throws(ReconcileError) -> KubeObject {
        let reference = "\(kind.kind)/\(namespace)/\(name)"
        events(.waiting("waiting for \(kind.kind) reconciliation"))
        var final: KubeObject?
        // A watch the server ends (timeoutSeconds, a restart) returns the object as it was:
        // follow again until the outcome is decided or the deadline passes.
        repeat {
            final = try await waitOnce(kind, name: name, namespace: namespace, token: token, waitForRetry: waitForRetry,
                                       deadline: deadline)
        } while ReconcileOutcome.judge(final, token: token, waitForRetry: waitForRetry).isPending && deadline.remaining > 0
        switch ReconcileOutcome.judge(final, token: token, waitForRetry: waitForRetry) {
        case .succeeded:
            guard let final else { throw .notFound(kind: kind.kind, name: name, namespace: namespace) }
            return final
        case let .failed(message): throw .failed(object: reference, message: message)
        case let .stalled(message): throw .stalled(object: reference, message: message)
        case .undetermined: throw .undetermined(object: reference)
        case let .pending(message):
            throw .timedOut(object: reference, seconds: deadline.seconds, lastMessage: message)
        }
    }

    private func waitOnce(_ kind: FluxKind, name: String, namespace: String, token: String?, waitForRetry: Bool,
                          deadline: ReconcileDeadline) async throws(ReconcileError) -> KubeObject? {
        let reference = "\(kind.kind)/\(namespace)/\(name)"
        let events = self.events
        do {
            return try await KubeWaiter(client: client).wait(
                for: kind.groupVersionKind, name: name, namespace: namespace,
                timeout: max(0, deadline.remaining),
                until: { object in
                    let outcome = ReconcileOutcome.judge(object, token: token, waitForRetry: waitForRetry)
                    if case let .pending(message) = outcome { return .keepWaiting(message) }
                    return .done
                },
                progress: { events(.progress($0)) })
        } catch {
            if case let .waitTimedOut(_, _, last) = error {
                throw .timedOut(object: reference, seconds: deadline.seconds, lastMessage: last)
            }
            throw .cluster(error)
        }
    }

    func fetch(_ kind: FluxKind, name: String, namespace: String) async throws(ReconcileError) -> KubeObject {
        let found: KubeObject?
        do { found = try await client.getIfPresent(kind.groupVersionKind, name: name, namespace: namespace) } catch {
            throw .cluster(error)
        }
        guard let found else { throw .notFound(kind: kind.kind, name: name, namespace: namespace) }
        return found
    }
}

/// One deadline for a whole command (the source chain, every object of `--all`), as flux's
/// `--timeout` is; messages name the timeout the user gave.
struct ReconcileDeadline: Sendable {
    let seconds: Double
    let end: Date

    init(seconds: Double) {
        self.seconds = seconds
        end = Date().addingTimeInterval(seconds)
    }

    var remaining: Double { max(0, end.timeIntervalSinceNow) }
}
