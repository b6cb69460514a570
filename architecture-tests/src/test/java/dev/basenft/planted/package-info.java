/**
 * Planted violations: a miniature of base-nft's layout ({@code core}, {@code adapter.*}) that breaks every architecture rule
 * once, so each rule is shown to fail. Never production code.
 */
package dev.basenft.planted;
