package io.ordersaga.notification.feed;

import java.time.Instant;

/**
 * Keys for listings kept in a key-value store: an owner's entries (a customer's
 * notifications) under one prefix, sorting newest first, so a page is one prefix scan
 * that stops after the page.
 */
final class ListingKeys {

	private ListingKeys() {
	}

	/**
	 * The prefix of an owner's entries. The owner is written with its length, so no owner
	 * is a prefix of another: the entries of {@code a} never include those of {@code a/b}
	 * or {@code a:b}, whatever a record calls its customer.
	 * @param kind what is listed, such as {@code c} for a customer's notifications
	 * @param owner the owner's id
	 * @return for example {@code c/5:alice/}
	 */
	static String prefix(String kind, String owner) {
		return kind + "/" + owner.length() + ":" + owner + "/";
	}

	/**
	 * The part of an entry's key that sorts newest first: the milliseconds left until the
	 * end of time, zero-padded. A time before 1970, which only a forged record carries,
	 * counts as 1970.
	 * @param time the entry's time
	 * @return 19 digits
	 */
	static String newestFirst(Instant time) {
		String left = Long.toString(Long.MAX_VALUE - Math.max(0, time.toEpochMilli()));
		return "0".repeat(Math.max(0, 19 - left.length())) + left;
	}

}
