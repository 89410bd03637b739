import GitOpsCore

print("gitopsctl \(BuildInfo.version)")
