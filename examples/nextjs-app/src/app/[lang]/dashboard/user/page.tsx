export default function UserPage() {
  return (
    <main>
      <h1>Users</h1>
      <p>Import users from a CSV file.</p>
      {/* csvimport:mount */}
    </main>
  );
}
