// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function EditProfile() {
  return (
    <section class="placeholder" aria-labelledby="edit-profile-title">
      <h2 id="edit-profile-title">Edit profile</h2>
    </section>
  );
}
