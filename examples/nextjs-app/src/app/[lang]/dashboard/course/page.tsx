export default function CoursePage() {
  return (
    <main>
      <h1>Courses</h1>
      <p>Import courses from a CSV file.</p>
      {/* csvimport:mount */}
    </main>
  );
}
