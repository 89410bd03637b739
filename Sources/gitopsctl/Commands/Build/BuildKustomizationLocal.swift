import GitOpsCore

/// `gitopsctl build ks NAME`: the multi-document stream Flux would apply for NAME.
enum BuildKustomizationLocal {
    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let arguments = invocation.arguments
        guard let name = arguments.positional(0) else { throw UsageError.missingArgument("NAME") }
        let decryptor = try LocalRepository.decryptor(arguments, required: arguments.flag("decrypt"))
        let repo = try LocalRepository.load(invocation, strictSubstitute: arguments.flag("strict-substitute"),
                                             decryptor: decryptor,
                                             generatorSources: arguments.flag("decrypt") ? .decrypt : .keepEncrypted)
        let namespace = arguments.values["namespace"]?.last
        var secrets = BuildKustomization.Secrets.keepEncrypted
        if arguments.flag("decrypt"), let decryptor { secrets = .decrypt(decryptor) }
        let objects = try BuildKustomization.objects(repo, name: name, namespace: namespace, secrets: secrets)
        if let key = repo.kustomization(named: name, namespace: namespace)?.key.description {
            let own = repo.problems.filter { $0.message.contains(key) }
            if arguments.flag("strict-substitute"), let failure = own.first(where: { $0.check == .substitution }) {
                throw BuildFailure(message: failure.description)
            }
            own.forEach { invocation.reporter.warning($0.description) }
        }
        let stream = YAMLEmitter.manifest.emit(objects.map { YAMLDocument(root: $0, explicitStart: true) })
        invocation.output.write(stream.hasSuffix("\n") || stream.isEmpty ? stream : stream + "\n")
        return 0
    }
}

/// A build problem that makes `build ks` fail (strict substitution).
struct BuildFailure: UserFacingError {
    var message: String
    var description: String { message }
}
