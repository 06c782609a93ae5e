package io.ordersaga.order.view;

import java.util.List;

/**
 * One page of a customer's orders.
 *
 * @param content the orders on this page, newest first
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param totalElements how many orders match in all
 */
public record OrderPage(List<OrderView> content, int page, int size, long totalElements) {

	/**
	 * The number of pages.
	 * @return {@code ceil(totalElements / size)}
	 */
	public long totalPages() {
		return (this.totalElements + this.size - 1) / this.size;
	}

}
