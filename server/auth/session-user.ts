/** The signed-in person as the session token carries them. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
}
