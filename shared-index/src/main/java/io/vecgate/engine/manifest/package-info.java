/**
 * The manifest of a published version of a space ({@code manifest.json}, written last), and
 * the check of a version directory against it.
 */
package io.vecgate.engine.manifest;
