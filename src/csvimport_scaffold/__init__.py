"""csvimport: scaffold CSV import features into Next.js + Prisma projects."""

__version__ = "0.1.0"
