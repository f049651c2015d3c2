"""GMI's request queue (video, image, audio jobs and uploads), emulated."""
