extension Command {
    static let tenant = Command(
        name: "tenant",
        abstract: "Scaffold, list and remove Capsule tenants in the repository",
        subcommands: [.addTenant, .listTenants, .removeTenant])
}
