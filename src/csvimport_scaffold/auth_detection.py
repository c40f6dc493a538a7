"""Find how the project authenticates a request, so the import routes can ask it.

In order: the project's own helper (a function such as `getUserAuthOrThrow()` or
`requireUser()` that returns the user or throws), else an auth library csvimport writes an
adapter for (next-auth v4's `getServerSession(authOptions)`, Auth.js v5's `auth()`, Clerk's
`auth()`), else nothing (then `init` writes a stub that answers 401 until it is wired).
"""

from collections.abc import Callable
from dataclasses import dataclass

# Names of a project's own "signed-in user or throw" helper, the likeliest first.
OWN_HELPER_NAMES = (
    "getUserAuthOrThrow",
    "requireUser",
    "requireAuth",
    "requireSession",
    "getUserOrThrow",
    "getCurrentUserOrThrow",
)
PREFERRED_STEMS = ("auth", "session", "index", "route")
CLERK_SERVER_MODULE = "@clerk/nextjs/server"
# The adapters `init` can write, by the `auth_provider` answer of the core template.
ADAPTERS = {
    "stub": "no auth library",
    "next-auth-v4": "next-auth v4",
    "authjs-v5": "Auth.js v5",
    "clerk": "Clerk",
    "clerk-v5": "Clerk v5",
}


@dataclass(frozen=True)
class AuthSource:
    """What the generated code calls: the project's own helper (provider None), or the
    binding of an auth library an adapter wraps (`authOptions`, `auth`)."""

    provider: str | None
    path: str  # project-relative file, "" for a package
    specifier: str
    export: str

    @property
    def description(self) -> str:
        where = self.path or self.specifier
        if self.provider is None:
            return f"your helper {self.export}() in {where}"
        return f"{ADAPTERS[self.provider]} ({self.export} from {where})"


FindModule = Callable[[str, tuple[str, ...]], str | None]


def detect_auth(
    find_module: FindModule,
    specifier_for: Callable[[str], str],
    versions: Callable[[str], int | None],
) -> AuthSource | None:
    """`find_module(binding, preferred_stems)` gives the file exporting a binding,
    `versions(package)` the declared major version of a package (None: not a dependency)."""

    def source(provider: str | None, binding: str) -> AuthSource | None:
        path = find_module(binding, PREFERRED_STEMS)
        return path and AuthSource(provider, path, specifier_for(path), binding)

    for name in OWN_HELPER_NAMES:
        if found := source(None, name):
            return found
    next_auth = versions("next-auth")
    if next_auth == 4:
        return source("next-auth-v4", "authOptions")
    if next_auth is not None and next_auth >= 5:
        return source("authjs-v5", "auth")
    clerk = versions("@clerk/nextjs")
    if clerk is not None and clerk >= 5:
        provider = "clerk" if clerk >= 6 else "clerk-v5"
        return AuthSource(provider, "", CLERK_SERVER_MODULE, "auth")
    return None
