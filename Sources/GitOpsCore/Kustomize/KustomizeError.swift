/// Everything that can stop a kustomize build. Each case names the file or directory and,
/// where there is one, the object, using kustomize's own wording where users know it.
public enum KustomizeError: UserFacingError, Equatable {
    /// A kustomization file has a key kustomize does not know (kustomize decodes strictly).
    case unknownField(file: String, field: String)
    /// A kustomization field has the wrong shape.
    case invalidField(file: String, field: String, problem: String)
    /// A path listed in a kustomization does not exist.
    case missingPath(file: String, entry: String, path: String)
    /// The directory to build does not exist or is not a directory.
    case notADirectory(path: String)
    /// A directory listed as a resource has no kustomization file.
    case notAKustomization(directory: String)
    /// More than one of `kustomization.yaml`, `kustomization.yml`, `Kustomization`.
    case ambiguousKustomization(directory: String, files: [String])
    /// A remote base (URL or git reference); gitopsctl builds offline only.
    case remoteBase(file: String, entry: String)
    /// A file path leaves the build root (kustomize's load restrictor).
    case outsideRoot(file: String, entry: String, root: String)
    /// Kustomizations include each other in a cycle; `chain` lists the directories in order.
    case cycle(chain: [String])
    /// Two resources with the same group/version/kind/namespace/name.
    case duplicateID(id: String, file: String)
    /// A document lacks `kind` or `metadata.name`.
    case invalidResource(file: String, problem: String)
    /// A strategic merge patch without a target names an object not in the build.
    case patchTargetNotFound(patch: String, target: String)
    /// A patch could not be applied to its target.
    case patchFailed(patch: String, target: String, problem: String)
    /// A generator input (file, env file, literal) is unusable.
    case generator(file: String, name: String, problem: String)
    /// A `behavior: merge|replace` generator has no object to act on, or `create` collides.
    case generatorBehavior(file: String, id: String, problem: String)
    /// A replacement's source or a target path is invalid.
    case replacement(file: String, problem: String)
    /// A name reference could not be resolved (several renamed objects fit it).
    case nameReference(referrer: String, path: String, problem: String)
    /// A component directory holds a Kustomization, or a resource directory a Component.
    case wrongKind(directory: String, expected: String, found: String)
    /// A directory without a kustomization holds a `.yaml` file that is not a manifest.
    case notKubernetesYAML(file: String, problem: String)

    public var description: String {
        switch self {
        case let .unknownField(file, field):
            return "\(file): invalid Kustomization: json: unknown field \"\(field)\""
        case let .invalidField(file, field, problem):
            return "\(file): invalid Kustomization: \(field): \(problem)"
        case let .missingPath(file, entry, path):
            return "\(file): accumulating resources from '\(entry)': \(path): no such file or directory"
        case let .notADirectory(path):
            return "must build at directory: not a valid directory: \(path)"
        case let .notAKustomization(directory):
            return "\(directory): unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory"
        case let .ambiguousKustomization(directory, files):
            return "\(directory): found multiple kustomization files: \(files.joined(separator: ", "))"
        case let .remoteBase(file, entry):
            return "\(file): '\(entry)' is a remote base, not built offline"
        case let .outsideRoot(file, entry, root):
            return "\(file): security; file '\(entry)' is not in or below '\(root)'"
        case let .cycle(chain):
            return "cycle detected: \(chain.joined(separator: " -> "))"
        case let .duplicateID(id, file):
            return "\(file): may not add resource with an already registered id: \(id)"
        case let .invalidResource(file, problem):
            return "\(file): \(problem)"
        case let .patchTargetNotFound(patch, target):
            return "\(patch): no resource matches strategic merge patch \"\(target)\""
        case let .patchFailed(patch, target, problem):
            return "\(patch): cannot apply patch to \(target): \(problem)"
        case let .generator(file, name, problem):
            return "\(file): generator \(name): \(problem)"
        case let .generatorBehavior(file, id, problem):
            return "\(file): \(id): \(problem)"
        case let .replacement(file, problem):
            return "\(file): replacements: \(problem)"
        case let .nameReference(referrer, path, problem):
            return "updating name reference in '\(path)' field of '\(referrer)': \(problem)"
        case let .wrongKind(directory, expected, found):
            return "\(directory): expected kind \(expected) for path '\(directory)' but got '\(found)'"
        case let .notKubernetesYAML(file, problem):
            return "failed to decode Kubernetes YAML from \(file): \(problem)"
        }
    }
}
