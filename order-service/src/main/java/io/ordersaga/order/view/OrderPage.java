package io.ordersaga.order.view;

import java.util.List;

/**
 * One page of a customer's orders.
 *
 * @param content the orders on this page, newest first
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param totalElements how many orders match in all
 * @param totalPages how many pages of this size they fill
 */
public record OrderPage(List<OrderView> content, int page, int size, long totalElements, long totalPages) {

	/**
	 * A page, its page count computed.
	 * @param content the orders on this page
	 * @param page the page number
	 * @param size the page size
	 * @param totalElements how many orders match in all
	 * @return the page
	 */
	public static OrderPage of(List<OrderView> content, int page, int size, long totalElements) {
		return new OrderPage(content, page, size, totalElements, (totalElements + size - 1) / size);
	}

}
