/// A `kustomization.yaml` (`Kustomization` v1beta1 or `Component` v1alpha1) decoded strictly:
/// an unknown key is an error, as kustomize reports it.
struct Kustomization: Sendable {
    var file: String
    var isComponent = false
    var resources: [String] = []
    var components: [String] = []
    var crds: [String] = []
    var configurations: [String] = []
    var namespace: String?
    var namePrefix: String?
    var nameSuffix: String?
    var labels: [LabelSpec] = []
    /// Whether `commonLabels` is set (its entry is the last of `labels`).
    var hasCommonLabels = false
    var commonAnnotations: [(String, String)] = []
    var patches: [PatchSpec] = []
    var patchesStrategicMerge: [PatchSpec] = []
    var patchesJson6902: [PatchSpec] = []
    var images: [ImageSpec] = []
    var replicas: [(name: String, count: YAMLNode)] = []
    var configMapGenerator: [GeneratorSpec] = []
    var secretGenerator: [GeneratorSpec] = []
    var generatorOptions: GeneratorOptions?
    var replacements: [ReplacementSource] = []
    var buildMetadata: [String] = []
    var sortOptions: SortOptions?

    /// One `labels` entry (or the `commonLabels` map, which selects too).
    struct LabelSpec: Sendable {
        var pairs: [(String, String)]
        var includeSelectors: Bool
        var includeTemplates: Bool
        /// Extra places to write the labels (`fields`).
        var fields: [FieldSpec] = []
    }

    /// A patch from `patches`, `patchesStrategicMerge` or `patchesJson6902`.
    struct PatchSpec: Sendable {
        /// The patch text and the name messages use (its file, or the kustomization).
        var text: String
        var source: String
        var target: PatchTarget?
        /// `options.allowNameChange` / `allowKindChange`: let the patch rename or re-kind its target.
        var allowNameChange = false
        var allowKindChange = false
    }

    struct ImageSpec: Sendable {
        var name: String
        var newName: String?
        var newTag: String?
        var digest: String?
        var tagSuffix: String?
    }

    /// `sortOptions`: `legacy` (default; `legacySortOptions` may replace the kinds sorted
    /// first and last) or `fifo` (input order).
    enum SortOptions: Sendable, Equatable {
        case legacy(first: [String], last: [String])
        case fifo
    }

    static let knownFields: Set<String> = [
        "apiVersion", "kind", "metadata", "resources", "components", "crds", "namespace", "namePrefix",
        "nameSuffix", "labels", "commonLabels", "commonAnnotations", "patches", "patchesStrategicMerge",
        "patchesJson6902", "images", "imageTags", "replicas", "configMapGenerator", "secretGenerator",
        "generatorOptions", "replacements", "vars", "buildMetadata", "sortOptions", "bases",
        "configurations", "generators", "transformers", "validators", "openapi", "helmCharts",
        "helmGlobals", "helmChartInflationGenerator", "inventory",
    ]
}
